/**
 * Files in and out: NumPy {@code .npy} arrays, case files (JSON), images, and writing files atomically.
 * Depends on {@code convlab.core} and Jackson; never on ND4J.
 */
package convlab.io;
