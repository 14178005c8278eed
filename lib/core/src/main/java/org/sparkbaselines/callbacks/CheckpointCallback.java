package org.sparkbaselines.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the model every {@code saveFreq} calls, the reference's
 * {@code CheckpointCallback(save_freq, save_path, name_prefix='rl_model', verbose=0)}: each checkpoint is
 * {@code <savePath>/<namePrefix>_<numTimesteps>_steps.zip}; the folder is created at the start of
 * {@code learn}. Under {@link EveryNTimesteps}, {@code saveFreq=1} saves at every event.
 */
public final class CheckpointCallback extends BaseCallback {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCallback.class);

    private final int saveFreq;
    private final Path savePath;
    private final String namePrefix;

    /** Checkpoints named {@code rl_model_<numTimesteps>_steps.zip}, silently. */
    public CheckpointCallback(int saveFreq, Path savePath) {
        this(saveFreq, savePath, "rl_model", 0);
    }

    /**
     * @param saveFreq calls between two checkpoints
     * @param savePath the folder the checkpoints go to
     * @param namePrefix start of the checkpoints' file names (default {@code "rl_model"})
     * @param verbose 2 or more logs every checkpoint's path (default 0)
     */
    public CheckpointCallback(int saveFreq, Path savePath, String namePrefix, int verbose) {
        super(verbose);
        if (saveFreq < 1) {
            throw new IllegalArgumentException("saveFreq must be at least 1, got " + saveFreq);
        }
        if (savePath == null || namePrefix == null) {
            throw new IllegalArgumentException("CheckpointCallback needs a savePath and a namePrefix");
        }
        this.saveFreq = saveFreq;
        this.savePath = savePath;
        this.namePrefix = namePrefix;
    }

    @Override
    protected void atInit() {
        try {
            Files.createDirectories(savePath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the checkpoint folder " + savePath, e);
        }
    }

    @Override
    protected boolean atStep() {
        if (nCalls % saveFreq == 0) {
            Path checkpoint = savePath.resolve(namePrefix + "_" + numTimesteps + "_steps.zip");
            try {
                model.save(checkpoint);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the checkpoint " + checkpoint, e);
            }
            if (verbose > 1) {
                LOG.info("Saving model checkpoint to {}", checkpoint);
            }
        }
        return true;
    }
}
