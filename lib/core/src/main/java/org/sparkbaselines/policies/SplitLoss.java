package org.sparkbaselines.policies;

/**
 * A minibatch loss given as its derivatives per row, split by network so that each half can be
 * computed where its network runs ({@link ActorCriticPolicy#trainingPass}): the policy terms from
 * the actions' new log-probabilities and entropies, the value terms from the new values. The two
 * halves may run at the same time on two threads, so they must not share mutable state.
 */
public interface SplitLoss {

    /** Writes {@code dL/dlogProb} and {@code dL/dentropy} for rows {@code [0, batch)}. */
    void policyTerms(int batch, float[] logProb, float[] entropy, float[] dLogProb, float[] dEntropy);

    /** Writes {@code dL/dvalue} for rows {@code [0, batch)}. */
    void valueTerms(int batch, float[] value, float[] dValue);
}
