package io.herald.bench.idle;

/**
 * An ordinary least-squares line {@code y = intercept + slope · x} through measured points, with
 * its coefficient of determination. In the {@code idle} scenario x is the number of open
 * connections and y a memory figure in bytes, so the slope is bytes per connection. Immutable.
 *
 * @param slope     change of y per unit of x
 * @param intercept y at x = 0 on the fitted line
 * @param r2        coefficient of determination (1 = the points lie on the line); 1 when y is constant
 * @param points    how many points the line was fitted to
 */
public record IdleFit(double slope, double intercept, double r2, int points) {
    /**
     * The least-squares line through {@code (x[i], y[i])}.
     *
     * @throws IllegalArgumentException if the arrays differ in length, hold fewer than two points,
     *                                  or every x is the same
     */
    public static IdleFit of(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
        }
        int n = x.length;
        if (n < 2) {
            throw new IllegalArgumentException("a line needs at least 2 points, got " + n);
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (sxx == 0) {
            throw new IllegalArgumentException("all x are equal (" + mx + "): no slope");
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double ssRes = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - (intercept + slope * x[i]);
            ssRes += r * r;
        }
        double r2 = syy == 0 ? 1 : 1 - ssRes / syy;
        return new IdleFit(slope, intercept, r2, n);
    }

    /** y on the fitted line at {@code x}. */
    public double at(double x) {
        return intercept + slope * x;
    }
}
