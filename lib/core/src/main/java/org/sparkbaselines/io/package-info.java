/**
 * Files: numpy's {@code .npy}/{@code .npz} arrays ({@link org.sparkbaselines.io.NdArray},
 * {@link org.sparkbaselines.io.Npy}, {@link org.sparkbaselines.io.Npz}) and the model zip
 * ({@link org.sparkbaselines.io.ModelArchive}). Everything read is treated as untrusted: no Java
 * serialization, no evaluation of headers, size limits ({@link org.sparkbaselines.io.ReadLimits})
 * checked before allocating, and a {@link org.sparkbaselines.io.MalformedFileException} naming the
 * file and the problem for anything wrong. Writes are atomic.
 */
package org.sparkbaselines.io;
