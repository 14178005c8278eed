package org.sparkbaselines.jobs;

import java.util.concurrent.Callable;
import org.sparkbaselines.env.EnvSpec;
import org.sparkbaselines.env.Envs;
import picocli.CommandLine.Command;

/** {@code sb envs}: lists the registered environment ids with their time limits. */
@Command(name = "envs", mixinStandardHelpOptions = true, description = "List the registered environments.")
final class EnvsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.printf("%-30s %10s %10s%n", "id", "max steps", "solved at");
        for (String id : Envs.ids()) {
            EnvSpec spec = Envs.spec(id);
            System.out.printf("%-30s %10s %10s%n", id, spec.maxEpisodeSteps() == null ? "-" : spec.maxEpisodeSteps(),
                    spec.rewardThreshold() == null ? "-" : spec.rewardThreshold());
        }
        return 0;
    }
}
