/**
 * Comparison and verdicts: runs a case through the reference core and the engines, and says who agrees with whom,
 * by how much and where, for outputs and (with {@link convlab.verify.GradientCheck}) gradients. Depends on core, io
 * and the engine interface; it never touches ND4J classes itself.
 */
package convlab.verify;
