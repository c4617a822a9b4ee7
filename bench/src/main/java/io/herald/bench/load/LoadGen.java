package io.herald.bench.load;

import java.util.Arrays;
import java.util.List;

/**
 * The load generator's command line (see {@code bench/README.md}, "Load generator"):
 *
 * <pre>
 * java -cp herald-bench.jar io.herald.bench.load.LoadGen subscribe --url ws://127.0.0.1:8080/ws/fanout --connections 10000 --dir W --id 0
 * java -cp herald-bench.jar io.herald.bench.load.LoadGen fanout --publish-url http://127.0.0.1:8080/api/publish --dir W --out r.json
 * java -cp herald-bench.jar io.herald.bench.load.LoadGen subscribe --url 'ws://127.0.0.1:8080/ws/ch-{c}' --channels 1000 --connections 10000 --dir W --id 0
 * java -cp herald-bench.jar io.herald.bench.load.LoadGen channels --publish-url http://127.0.0.1:8080/api/publish --channels 1000 --dir W --out r.json
 * java -cp herald-bench.jar io.herald.bench.load.LoadGen report --scenario fanout --out docs/BENCHMARKS-fanout.md --svg docs/fanout.svg r1.json r2.json…
 * </pre>
 *
 * {@code bench/run.sh} starts these processes; they are not meant to be typed by hand except to
 * debug one server.
 */
public final class LoadGen {
    private LoadGen() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: LoadGen subscribe|fanout|channels|report [options]");
            System.exit(2);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "subscribe" -> SubscribeCommand.run(new Options(rest));
            case "fanout" -> FanoutCommand.run(FanoutCommand.Scenario.FANOUT, new Options(rest));
            case "channels" -> FanoutCommand.run(FanoutCommand.Scenario.CHANNELS, new Options(rest));
            case "report" -> FanoutReport.run(rest);
            default -> {
                System.err.println("LoadGen: unknown command '" + args[0] + "'");
                System.exit(2);
            }
        }
        System.exit(0); // event loop threads of a failed close must not keep the JVM alive
    }
}
