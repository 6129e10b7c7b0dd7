package convlab.render;

/**
 * How to draw a figure.
 *
 * @param valueThreshold print each cell's value in maps of at most this many rows and columns (0: never)
 * @param scale          PNG pixels per figure unit (1 = the layout's own size, 96 dpi; 2 = twice as sharp)
 * @param batchIndex     which item of the input batch (and of every output) to draw
 * @param maxChannels    at most this many input channels, filters and kernel channels are drawn; a note says how
 *                       many were left out
 */
public record FigureOptions(int valueThreshold, double scale, int batchIndex, int maxChannels) {

    public static final int DEFAULT_VALUE_THRESHOLD = 12;
    public static final int DEFAULT_MAX_CHANNELS = 8;

    public FigureOptions {
        if (valueThreshold < 0) {
            throw new IllegalArgumentException("Expected a value threshold >= 0, but found " + valueThreshold);
        }
        if (!(scale > 0 && scale <= 8)) {
            throw new IllegalArgumentException("Expected a PNG scale in (0, 8], but found " + scale);
        }
        if (batchIndex < 0) {
            throw new IllegalArgumentException("Expected a batch index >= 0, but found " + batchIndex);
        }
        if (maxChannels < 1) {
            throw new IllegalArgumentException("Expected maxChannels >= 1, but found " + maxChannels);
        }
    }

    /** Values printed up to 12x12, scale 1, batch item 0, at most 8 channels and filters. */
    public static FigureOptions defaults() {
        return new FigureOptions(DEFAULT_VALUE_THRESHOLD, 1.0, 0, DEFAULT_MAX_CHANNELS);
    }

    public FigureOptions withValueThreshold(int n) {
        return new FigureOptions(n, scale, batchIndex, maxChannels);
    }

    public FigureOptions withScale(double s) {
        return new FigureOptions(valueThreshold, s, batchIndex, maxChannels);
    }

    public FigureOptions withBatchIndex(int b) {
        return new FigureOptions(valueThreshold, scale, b, maxChannels);
    }

    public FigureOptions withMaxChannels(int m) {
        return new FigureOptions(valueThreshold, scale, batchIndex, m);
    }

    /** The resolution a PNG at this scale is marked with: 96 dots per inch at scale 1. */
    public double dpi() {
        return 96 * scale;
    }
}
