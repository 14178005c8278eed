package org.sparkbaselines.common.noise;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.sparkbaselines.nn.tape.Variable;

/**
 * The reference's {@code AdaptiveParamNoiseSpec} (Plappert et al. 2018): the standard deviation of the Gaussian noise
 * added to a policy's parameters, adapted so that the perturbed policy's actions stay about
 * {@code desiredActionStddev} away from the unperturbed ones: {@link #adapt} divides it by
 * {@code adoptionCoefficient} when the measured distance is larger, and multiplies it otherwise.
 */
public final class AdaptiveParamNoiseSpec {
    private final double desiredActionStddev;
    private final double adoptionCoefficient;
    private double currentStddev;

    /** The reference's defaults: 0.1, 0.1, 1.01. */
    public AdaptiveParamNoiseSpec() {
        this(0.1, 0.1, 1.01);
    }

    /**
     * @param initialStddev the noise's standard deviation to start with (0.1)
     * @param desiredActionStddev the distance in action space the noise aims at (0.1)
     * @param adoptionCoefficient the factor each adaption changes the standard deviation by (1.01)
     */
    public AdaptiveParamNoiseSpec(double initialStddev, double desiredActionStddev, double adoptionCoefficient) {
        if (!(initialStddev > 0) || !(desiredActionStddev > 0)) {
            throw new IllegalArgumentException("parameter noise needs positive standard deviations, got initial " + initialStddev + ", desired "
                    + desiredActionStddev);
        }
        if (!(adoptionCoefficient > 1)) {
            throw new IllegalArgumentException("adoption_coefficient must be > 1, got " + adoptionCoefficient);
        }
        this.currentStddev = initialStddev;
        this.desiredActionStddev = desiredActionStddev;
        this.adoptionCoefficient = adoptionCoefficient;
    }

    /** One adaption on a measured distance between the perturbed and the unperturbed policy's actions. */
    public void adapt(double distance) {
        currentStddev = distance > desiredActionStddev ? currentStddev / adoptionCoefficient : currentStddev * adoptionCoefficient;
    }

    public double currentStddev() {
        return currentStddev;
    }

    /** Takes another copy's standard deviation (an actor following its learner's adaptions). */
    public void setCurrentStddev(double stddev) {
        this.currentStddev = stddev;
    }

    /**
     * {@code into = from + N(0, stddev^2)} element by element where {@code perturbable} accepts the variable's name, a
     * copy elsewhere; the lists match variable for variable.
     */
    public static void perturb(List<Variable> from, List<Variable> into, double stddev, SplittableRandom random, Predicate<String> perturbable) {
        for (int i = 0; i < from.size(); i++) {
            float[] source = from.get(i).values();
            float[] target = into.get(i).values();
            boolean noisy = perturbable.test(from.get(i).name());
            for (int j = 0; j < source.length; j++) {
                target[j] = noisy ? (float) (source[j] + stddev * random.nextGaussian()) : source[j];
            }
        }
    }
}
