/**
 * The teaching implementation of 2D convolution: tensors, shapes, padding, convolution specs and the
 * {@link convlab.core.Conv2d} loops that read like the formula. JDK only: nothing here may import ND4J,
 * DL4J or any other convlab package.
 */
package convlab.core;
