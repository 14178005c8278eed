package org.sparkbaselines.sb2;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.ZipFixtures;

/** Broken and hostile Stable Baselines 2 files: each is refused with an error naming the file and the problem. */
class Sb2HostileFilesTest {
    @TempDir
    Path dir;

    private MalformedFileException refused(Path file, String algo, String envId) {
        return assertThrows(MalformedFileException.class, () -> Sb2Models.load(algo, file, Sb2Zoo.env(envId)));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
    }

    private LinkedHashMap<String, byte[]> acktrZipEntries() throws IOException {
        return ZipFixtures.entries(Sb2Zoo.file("acktr/Pendulum-v0.zip"));
    }

    @Test
    void aZipWhoseParametersEscapeTheFolderIsRefused() throws IOException {
        LinkedHashMap<String, byte[]> entries = acktrZipEntries();
        Path inner = Files.write(dir.resolve("parameters.npz"), entries.get("parameters"));
        LinkedHashMap<String, byte[]> arrays = ZipFixtures.entries(inner);
        arrays.put("../../escape.npy", arrays.values().iterator().next());
        entries.put("parameters", ZipFixtures.zip(arrays, false));
        Path file = Files.write(dir.resolve("escape.zip"), ZipFixtures.zip(entries, true));
        assertMentions(refused(file, "acktr", "Pendulum-v1"), "refused zip entry '../../escape.npy': it escapes the folder");
    }

    @Test
    void aZipWhoseParametersClaimMoreThanAnyAgentHoldsIsRefusedBeforeReading() throws IOException {
        LinkedHashMap<String, byte[]> entries = acktrZipEntries();
        byte[] parameters = entries.remove("parameters");
        entries.put("parameters", parameters); // last, where withDeclaredSize edits the header
        Path file = Files.write(dir.resolve("oversized.zip"), ZipFixtures.withDeclaredSize(ZipFixtures.zip(entries, true), 300 << 20));
        assertMentions(refused(file, "acktr", "Pendulum-v1"), "zip entry 'parameters' in " + file, "declares 314572800 bytes",
                "over the limit of 268435456");
    }

    @Test
    void aZipWithoutParametersIsNamedAsSuch() throws IOException {
        LinkedHashMap<String, byte[]> entries = acktrZipEntries();
        entries.remove("parameters");
        Path file = Files.write(dir.resolve("noparams.zip"), ZipFixtures.zip(entries, true));
        assertMentions(refused(file, "acktr", "Pendulum-v1"), file + " is not a Stable Baselines 2 model file: it has no parameters entry");
    }

    @Test
    void aTruncatedPickleIsRefusedByName() throws IOException {
        byte[] whole = Files.readAllBytes(Sb2Zoo.file("ppo2/CartPole-v1.pkl"));
        Path file = Files.write(dir.resolve("truncated.pkl"), Arrays.copyOf(whole, whole.length / 2));
        assertMentions(refused(file, "ppo2", "CartPole-v1"), file.toString());
    }

    @Test
    void aPickleThatIsNotADataParamsPairIsRefused() throws IOException {
        // protocol 2: the tuple (1, 2)
        Path file = Files.write(dir.resolve("pair.pkl"), new byte[] {(byte) 0x80, 2, 'K', 1, 'K', 2, (byte) 0x86, '.'});
        assertMentions(refused(file, "ppo2", "CartPole-v1"), file + " is not a Stable Baselines 2 model: its pickle is not a (data, params) pair");
    }

    @Test
    void paramsThatAreNotArraysAreRefused() throws IOException {
        // protocol 2: ({}, ['x'])
        byte[] pickle = {(byte) 0x80, 2, '}', ']', 'X', 1, 0, 0, 0, 'x', 'a', (byte) 0x86, '.'};
        Path file = Files.write(dir.resolve("strings.pkl"), pickle);
        assertMentions(refused(file, "ppo2", "CartPole-v1"), file + ": params[0] is not a numpy array but String 'x'");
    }

    @Test
    void aShellCommandInThePickleNeverRuns() throws IOException {
        Path marker = dir.resolve("pwned");
        String pickle = "cos\nsystem\n(S'touch " + marker + "'\ntR.";
        Path file = Files.write(dir.resolve("evil.pkl"), pickle.getBytes(StandardCharsets.ISO_8859_1));
        assertMentions(refused(file, "ppo2", "CartPole-v1"), "is not a Stable Baselines 2 model");
        assertTrue(Files.notExists(marker), "the pickle's command ran");
    }

    @Test
    void aConfigSayingNormalizeWithoutStatisticsIsNamed() throws IOException {
        Path model = Files.copy(Sb2Zoo.file("ppo2/CartPole-v1.pkl"), dir.resolve("CartPole-v1.pkl"));
        Files.createDirectories(dir.resolve("CartPole-v1"));
        Files.writeString(dir.resolve("CartPole-v1/config.yml"), "normalize: true\n");
        assertMentions(refused(model, "ppo2", "CartPole-v1"), "says the agent was trained with normalized observations",
                "has neither obs_rms.pkl nor vecnormalize.pkl");
    }
}
