/**
 * The teaching implementation of 2D convolution and pooling: tensors, shapes, padding, layer specs and the
 * {@link convlab.core.Conv2d} and {@link convlab.core.Pool2d} loops that read like the formula. JDK only: nothing here may import ND4J,
 * DL4J or any other convlab package.
 */
package convlab.core;
