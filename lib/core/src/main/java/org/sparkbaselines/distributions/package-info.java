/**
 * Action distributions of the actor-critic policies, SB2's {@code stable_baselines.common.distributions}
 * in plain Java over {@code float} arrays.
 *
 * <p>{@link org.sparkbaselines.distributions.Distributions#forActionSpace} picks the distribution for
 * an action space (Discrete: Categorical, MultiDiscrete: MultiCategorical, MultiBinary: Bernoulli,
 * Box: diagonal Gaussian) and so fixes the policy's action head: {@code paramDim()} outputs per
 * observation plus, for the Gaussian only, a state-independent log standard deviation vector of
 * {@code logStdDim()} entries. Every {@link org.sparkbaselines.distributions.Distribution} method works
 * on a whole batch of parameter rows, allocates nothing and computes in double internally.
 */
package org.sparkbaselines.distributions;
