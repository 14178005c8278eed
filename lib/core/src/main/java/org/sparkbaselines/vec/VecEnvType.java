package org.sparkbaselines.vec;

/** Which in-process vectorized env {@link VecEnvs#makeVecEnv} builds. */
public enum VecEnvType {
    /** {@link DummyVecEnv}: sequential, the default. */
    DUMMY,
    /** {@link ParallelVecEnv}: worker threads. */
    PARALLEL
}
