package io.herald.bench.idle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IdleFitTest {
    @Test
    void pointsOnALineGiveItsSlopeAndInterceptExactly() {
        double[] x = {1000, 5000, 10000, 15000, 19000};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 40_000_000 + 1900 * x[i];
        }

        IdleFit f = IdleFit.of(x, y);

        assertThat(f.slope()).isCloseTo(1900, within(1e-6));
        assertThat(f.intercept()).isCloseTo(40_000_000, within(1e-3));
        assertThat(f.r2()).isCloseTo(1, within(1e-12));
        assertThat(f.points()).isEqualTo(5);
        assertThat(f.at(1_000_000)).isCloseTo(40_000_000 + 1_900_000_000.0, within(1e-2));
    }

    @Test
    void scatteredPointsGiveTheLeastSquaresLine() {
        // x = 0, 1, 2, 3; y = 1, 3, 2, 5: mean x 1.5, mean y 2.75, Sxy = 5.5, Sxx = 5
        IdleFit f = IdleFit.of(new double[] {0, 1, 2, 3}, new double[] {1, 3, 2, 5});

        assertThat(f.slope()).isCloseTo(1.1, within(1e-12));
        assertThat(f.intercept()).isCloseTo(1.1, within(1e-12));
        // residuals -0.1, 0.8, -1.3, 0.6: SSres 2.7; Syy 8.75
        assertThat(f.r2()).isCloseTo(1 - 2.7 / 8.75, within(1e-12));
    }

    @Test
    void constantYIsAFlatLineThatFitsPerfectly() {
        IdleFit f = IdleFit.of(new double[] {1, 2, 3}, new double[] {7, 7, 7});

        assertThat(f.slope()).isZero();
        assertThat(f.intercept()).isEqualTo(7);
        assertThat(f.r2()).isEqualTo(1);
    }

    @Test
    void fewerThanTwoPointsOrOneXAreRefused() {
        assertThatThrownBy(() -> IdleFit.of(new double[] {1}, new double[] {2})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdleFit.of(new double[] {5, 5}, new double[] {1, 2})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdleFit.of(new double[] {1, 2}, new double[] {1})).isInstanceOf(IllegalArgumentException.class);
    }
}
