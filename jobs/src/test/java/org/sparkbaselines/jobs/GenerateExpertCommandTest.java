package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.Npz;

class GenerateExpertCommandTest {

    @TempDir
    Path tmp;

    @Test
    void generatesIntoDeltaAndNpzAndARerunAddsNothing() throws IOException {
        String[] args = {"generate-expert", "--expert", "cartpole-balance", "--env", "CartPole-v1", "--episodes", "2",
            "--table", tmp.resolve("tables").toString(), "--npz", tmp.resolve("expert_cartpole").toString(), "--seed", "5"};
        CommandRun first = CommandRun.of(args);
        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(first.stdout().matches("(?s).*episodes\\s+2 \\(2 new\\).*"), first.stdout());
        assertTrue(first.stdout().matches("(?s).*steps\\s+1000\\n.*"), first.stdout());
        assertTrue(first.stdout().matches("(?s).*mean return\\s+500\\.00 .*"), first.stdout());
        Map<String, NdArray> npz = Npz.read(tmp.resolve("expert_cartpole.npz"));
        assertEquals(1000, npz.get("obs").shape()[0]);

        CommandRun again = CommandRun.of(args);
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.stdout().matches("(?s).*episodes\\s+2 \\(0 new\\).*"), again.stdout());
    }

    @Test
    void exactlyOneExpertIsRequired() {
        assertEquals(2, CommandRun.of("generate-expert", "--env", "CartPole-v1", "--episodes", "1", "--table", tmp.toString()).exitCode());
        assertEquals(2, CommandRun.of("generate-expert", "--model", "m.zip", "--expert", "cartpole-balance", "--env", "CartPole-v1",
                "--episodes", "1", "--table", tmp.toString()).exitCode());
    }

    @Test
    void anUnknownExpertIsAClearError() {
        CommandRun out = CommandRun.of("generate-expert", "--expert", "nobody", "--env", "CartPole-v1", "--episodes", "1", "--table", tmp.toString());
        assertEquals(1, out.exitCode(), out.toString());
        assertTrue(out.stderr().contains("unknown expert 'nobody'"), out.stderr());
    }

}
