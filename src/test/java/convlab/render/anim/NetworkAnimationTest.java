package convlab.render.anim;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.io.Case;
import convlab.io.CaseFiles;
import convlab.render.NetworkFigure;
import convlab.render.Theme;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkAnimationTest {

    @TempDir
    Path dir;

    @Test
    void theSmallCnnWalksLayerByLayerAChannelAFrame() throws Exception {
        Case c = CaseFiles.load(Path.of("data/golden/torch_small_cnn/case.json"));
        NetworkAnimation a = NetworkAnimation.of(c.name(), c.input(), c.layerList(), 0, 4);
        assertThat(a.frameCount()).isEqualTo(1 + 4 + 4 + 3 + 3 + 1); // the input, a frame per channel made, the whole network
        assertThat(a.view(0)).isEqualTo(new NetworkFigure.View(0, 2, true));
        assertThat(a.view(5)).isEqualTo(new NetworkFigure.View(2, 0, true));
        assertThat(a.view(15)).isEqualTo(NetworkFigure.View.all());
        Path gif = dir.resolve("network.gif");
        a.write(gif);
        GifFrames frames = GifFrames.read(gif);
        assertThat(frames.screenWidth).isEqualTo(a.width());
        assertThat(frames.screenHeight).isEqualTo(a.height());
        assertThat(frames.frames).hasSize(a.frameCount());
        assertThat(frames.frames.get(1).delayCentis()).isEqualTo(75);
        assertThat(frames.frames.get(15).delayCentis()).isEqualTo(300);
        int accent = Theme.ACCENT.getRGB() & 0xffffff;
        NetworkFigure f = a.figure();
        for (int i : new int[] {0, 5, 10, 15}) {
            BufferedImage drawn = a.render(i);
            for (int y = 0; y < drawn.getHeight(); y += 5) {
                for (int x = 0; x < drawn.getWidth(); x += 5) {
                    assertThat(frames.rgb(i, x, y)).as("frame %d at (%d, %d)", i, x, y).isEqualTo(drawn.getRGB(x, y) & 0xffffff);
                }
            }
        }
        // frame 10 makes layer 3's channel 1 from all four of layer 2's maps; layer 4 is not drawn yet
        Rectangle made = f.map(3, 1);
        assertThat(frames.rgb(10, made.x - 3, made.y + made.height / 2)).isEqualTo(accent);
        for (int ic = 0; ic < 4; ic++) {
            Rectangle read = f.map(2, ic);
            assertThat(frames.rgb(10, read.x - 3, read.y + read.height / 2)).as("reads %d", ic).isEqualTo(accent);
        }
        Rectangle later = f.map(4, 0);
        assertThat(frames.rgb(10, later.x + 2, later.y + 2)).isEqualTo(0xffffff);
        assertThat(frames.rgb(15, later.x + 2, later.y + 2)).isEqualTo(f.colour(4, f.value(4, 0, 0, 0), true).getRGB() & 0xffffff);
        assertThat(frames.rgb(15, made.x - 3, made.y + made.height / 2)).isEqualTo(0xffffff);
    }
}
