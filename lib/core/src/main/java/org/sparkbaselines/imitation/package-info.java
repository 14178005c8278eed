/**
 * Imitation learning, the reference's {@code stable_baselines.gail} data side and {@code pretrain}:
 * expert trajectories ({@link org.sparkbaselines.imitation.TrajectoryData}, read from and written to
 * the reference's {@code .npz} layout), the dataset that splits and batches them
 * ({@link org.sparkbaselines.imitation.ExpertDataset}, {@link org.sparkbaselines.imitation.DataLoader}),
 * and behavior cloning of an actor-critic policy ({@link org.sparkbaselines.imitation.BehaviorCloning}),
 * which {@code OnPolicyAlgorithm.pretrain} runs.
 */
package org.sparkbaselines.imitation;
