package io.lstmforecast.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lstmforecast.eval.NabScorer.CostMatrix;
import io.lstmforecast.eval.NabScorer.FileScore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NAB's scoring rules on small hand-computed cases (1000 rows: the first 150 are probationary). */
class NabScorerTest {
    static final List<int[]> WINDOW = List.<int[]>of(new int[] {500, 599});

    static boolean[] detectAt(int... rows) {
        boolean[] d = new boolean[1000];
        for (int r : rows) {
            d[r] = true;
        }
        return d;
    }

    @Test
    void theNullDetectorScoresZeroAndADetectionAtTheLeftEdgeScoresOneHundred() {
        FileScore none = NabScorer.score(WINDOW, detectAt(), CostMatrix.STANDARD);
        assertEquals(-1.0, none.raw(), 1e-12);
        assertEquals(0.0, NabScorer.normalised(List.of(none), CostMatrix.STANDARD), 1e-9);
        FileScore perfect = NabScorer.score(WINDOW, detectAt(500), CostMatrix.STANDARD);
        assertEquals(100.0, NabScorer.normalised(List.of(perfect), CostMatrix.STANDARD), 1e-9);
    }

    @Test
    void laterDetectionsInAWindowEarnLessAndOnlyTheBestCounts() {
        // Halfway: position -(599-550+1)/100 = -0.5 -> 2*sigmoid(2.5)-1 = 0.84828, scaled by 1/0.98661.
        FileScore half = NabScorer.score(WINDOW, detectAt(550, 590), CostMatrix.STANDARD);
        assertEquals((2 / (1 + Math.exp(-2.5)) - 1) / (2 / (1 + Math.exp(-5)) - 1), half.raw(), 1e-9);
        assertEquals(1, half.truePositives());
    }

    @Test
    void falsePositivesCostTheFpWeightLessRightAfterAWindowAndNothingInProbation() {
        FileScore early = NabScorer.score(WINDOW, detectAt(100, 300), CostMatrix.STANDARD);
        assertEquals(-1.0 - 0.11, early.raw(), 1e-12, "row 100 is probationary, row 300 costs the full FP weight");
        assertEquals(1, early.falsePositives());
        // 10 rows after the window's right edge: position 10/99.
        FileScore after = NabScorer.score(WINDOW, detectAt(609), CostMatrix.STANDARD);
        assertEquals(-1.0 + 0.11 * (2 / (1 + Math.exp(5 * 10 / 99.0)) - 1), after.raw(), 1e-12);
        assertEquals(
                -1.0 - 0.22,
                NabScorer.score(WINDOW, detectAt(300), CostMatrix.LOW_FP).raw(),
                1e-12);
        assertEquals(
                -2.0, NabScorer.score(WINDOW, detectAt(), CostMatrix.LOW_FN).raw(), 1e-12);
    }
}
