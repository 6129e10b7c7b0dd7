/**
 * Files in and out: NumPy {@code .npy} arrays, case files (JSON), images, writing files atomically, and the text
 * resources in the jar.
 * Depends on {@code convlab.core} and Jackson; never on ND4J.
 */
package convlab.io;
