package org.sparkbaselines.common;

/**
 * A value as a function of time: the reference's schedules ({@code value(t)} with {@code t} a step
 * count) and the progress callables PPO2/SAC/TD3 accept for learning rates (there {@code t} is the
 * remaining progress, going from 1 to 0).
 */
@FunctionalInterface
public interface Schedule {
    double value(double t);
}
