package io.herald.bench.load;

import java.util.List;
import java.util.Locale;

/**
 * A two-panel SVG line chart with log scales, no library: deliveries/s against publish rate on the
 * left, p99 latency against publish rate on the right, one line per server. Stateless.
 */
final class SvgChart {
    /** One server's line: points of (publish rate, deliveries/s, p99 ms); sustained steps drawn as filled dots. */
    record Series(String name, List<double[]> points, List<Boolean> sustained) {
    }

    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
    private static final int PANEL_W = 420;
    private static final int PANEL_H = 300;
    private static final int MARGIN = 60;

    private SvgChart() {
    }

    static String render(String title, List<Series> series) {
        double xMin = min(series, 0);
        double xMax = max(series, 0);
        StringBuilder svg = new StringBuilder();
        int width = 2 * (PANEL_W + MARGIN) + 40;
        int height = PANEL_H + 2 * MARGIN + 20 * ((series.size() + 2) / 3) + 20;
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"15\" text-anchor=\"middle\">%s</text>%n", width / 2, esc(title)));
        panel(svg, MARGIN, 40, "deliveries/s", series, 1, xMin, xMax);
        panel(svg, 2 * MARGIN + PANEL_W + 40, 40, "p99 latency (ms)", series, 2, xMin, xMax);
        int ly = 40 + PANEL_H + 45;
        for (int i = 0; i < series.size(); i++) {
            int lx = MARGIN + (i % 3) * 280;
            int y = ly + (i / 3) * 20;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", lx, y - 4, lx + 24, y - 4, color(i), lx + 30, y, esc(series.get(i).name())));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">filled dots: sustained steps; hollow: the step that broke. Log scales.</text>%n",
                MARGIN, height - 8));
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, int x0, int y0, String yLabel, List<Series> series, int index, double xMin, double xMax) {
        double yMin = min(series, index);
        double yMax = max(series, index);
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                x0, y0, PANEL_W, PANEL_H));
        for (double d = decadeFloor(yMin); d <= yMax * 1.0001; d *= 10) {
            for (int k = 1; k < 10; k++) {
                double v = d * k;
                if (v < yMin || v > yMax) {
                    continue;
                }
                double y = y0 + PANEL_H - scale(v, yMin, yMax) * PANEL_H;
                svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                        x0, y, x0 + PANEL_W, y, k == 1 ? "#ccc" : "#eee"));
                if (k == 1 || k == 2 || k == 5) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", x0 - 4, y + 4, label(v)));
                }
            }
        }
        for (double d = decadeFloor(xMin); d <= xMax * 1.0001; d *= 10) {
            for (int k : new int[] {1, 2, 5}) {
                double v = d * k;
                if (v < xMin || v > xMax) {
                    continue;
                }
                double x = x0 + scale(v, xMin, xMax) * PANEL_W;
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                        + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, y0, x, y0 + PANEL_H, x, y0 + PANEL_H + 15, label(v)));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">publish rate (messages/s)</text>%n",
                x0 + PANEL_W / 2, y0 + PANEL_H + 32));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">%s</text>%n",
                x0 - 45, y0 + PANEL_H / 2, x0 - 45, y0 + PANEL_H / 2, esc(yLabel)));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            StringBuilder pts = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (int p = 0; p < s.points().size(); p++) {
                double[] pt = s.points().get(p);
                double x = x0 + scale(pt[0], xMin, xMax) * PANEL_W;
                double y = y0 + PANEL_H - scale(pt[index], yMin, yMax) * PANEL_H;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" stroke=\"%s\" fill=\"%s\"/>", x, y,
                        color(i), s.sustained().get(p) ? color(i) : "white"));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%s%n",
                    pts.toString().trim(), color(i), dots));
        }
    }

    /** Position of {@code v} in [lo, hi] on a log scale, 0 to 1. */
    static double scale(double v, double lo, double hi) {
        double l = Math.log10(Math.max(v, lo));
        return hi <= lo ? 0.5 : (l - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
    }

    private static double decadeFloor(double v) {
        return Math.pow(10, Math.floor(Math.log10(v)));
    }

    private static double min(List<Series> series, int index) {
        double m = series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[index]).filter(v -> v > 0).min().orElse(1);
        return decadeFloor(m);
    }

    private static double max(List<Series> series, int index) {
        double m = series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[index]).max().orElse(10);
        double d = decadeFloor(Math.max(m, 1e-9));
        for (int k : new int[] {1, 2, 5, 10}) {
            if (d * k >= m) {
                return d * k;
            }
        }
        return d * 10;
    }

    private static String label(double v) {
        if (v >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (v >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String color(int i) {
        return COLORS[i % COLORS.length];
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
