/**
 * Animations of a convolution layer at work, computed from real numbers: frame by frame, each filter visits each
 * output position in raster order; the receptive field lights up on every input channel at once (padding drawn as
 * padding, dilation's gaps left unlit), beside the filter's kernel slices, each channel's partial sum, the bias,
 * the activation and the value written into the output map, which fills in cell by cell. Two looks:
 * {@link convlab.render.anim.Style#PANELS} (flat heatmaps with the numbers in the cells) and
 * {@link convlab.render.anim.Style#STACK} (the classic slab of channels with the kernel as a block through it).
 *
 * <p>The other ops animate from their taps too: {@link convlab.render.anim.StampAnimation} (conv_transpose2d, each
 * input value stamping its scaled kernel), {@link convlab.render.anim.PoolAnimation} (pooling, the window over each
 * channel with the cell max pooling picks or the average's divisor); {@link convlab.render.anim.NetworkAnimation}
 * walks a whole stack layer by layer.
 *
 * <p>Entry points: {@link convlab.render.anim.Animations#write} (a looping GIF, optionally every frame as PNG) and
 * {@link convlab.render.anim.Animation#render} (one frame as an image, for notebooks and tests).
 * Everything is drawn headless with plain Java2D, deterministically, with the colour maps and scales of the static
 * figures ({@link convlab.render.ColorMap}, {@link convlab.render.Scale}).
 */
package convlab.render.anim;
