package io.herald.server.internal.cli;

import io.herald.HeraldClock;
import io.herald.Preset;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code herald} command line, the main class of the server jar.
 *
 * <pre>
 * java -jar herald.jar serve                    # localhost, development credentials in .herald/
 * java -jar herald.jar serve --config herald.yml --port 8080
 * java -jar herald.jar serve --preset large --set namespaces.scan.critical=scanCompleted,error
 * java -jar herald.jar token --sub alice --channels 'scan:*' --ttl 1h
 * </pre>
 *
 * <p>Usage errors and an invalid configuration exit with 2, a server that cannot start with 1.
 */
@Command(name = "herald", mixinStandardHelpOptions = true, versionProvider = HeraldCommand.Version.class,
        description = "A real-time broadcast server: WebSocket and HTTP fan-out with batching, throttling and coalescing.")
public final class HeraldCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    private HeraldCommand() {
    }

    public static void main(String[] args) {
        int code = execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                ServeCommand.Lifetime::untilJvmShutdown, Path.of("").toAbsolutePath());
        // After a served run the JVM is already shutting down, and System.exit would only block;
        // the JVM exits with the status of the signal that stopped it.
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the command line with the given environment and output, returning the exit code.
     * {@code lifetime} is what {@code serve} does once Herald has started; {@code workingDirectory}
     * holds the development credentials ({@value DevCredentials#RELATIVE_PATH}).
     */
    static int execute(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err,
            ServeCommand.Lifetime lifetime, Path workingDirectory) {
        CommandLine cli = new CommandLine(new HeraldCommand())
                .addSubcommand(new ServeCommand(environment, lifetime, workingDirectory, HeraldClock.SYSTEM))
                .addSubcommand(new TokenCommand(environment, HeraldClock.SYSTEM, workingDirectory))
                .setOut(out)
                .setErr(err);
        cli.getSubcommands().get("serve").getCommandSpec().usageMessage().footer(keysHelp());
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command; to start the server use 'herald serve'");
    }

    /** The footer of {@code herald serve --help}: every key and its environment variable. */
    private static String[] keysHelp() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Precedence: defaults < config file < HERALD_* environment variables < flags.");
        lines.add("Keys, in the config file, with --set KEY=VALUE, or as environment variables:");
        ConfigKeys.GLOBAL.forEach(k -> lines.add(String.format("  %-32s %s", k, ConfigKeys.environmentName(k))));
        lines.add(String.format("  %-32s %s", ConfigKeys.NAMESPACES + ".<name>.<key>", "preset and the defaults.* keys, per namespace"));
        lines.add(String.format("  %-32s %s", ConfigKeys.LOG_LEVELS + ".<logger>", "log level of a logger or package"));
        lines.add(String.format("  %-32s %s", ConfigKeys.CONFIG_VARIABLE, "config file, when --config is not given"));
        lines.add("Presets: " + Arrays.stream(Preset.values()).map(Preset::wire).collect(Collectors.joining(", ")) + ".");
        lines.add("Durations: 500ms, 5s, 2m, 1h (a bare number is milliseconds). "
                + "Sizes: 512B, 64KiB, 1MiB, 1KB = 1000B (a bare number is bytes). Lists: a,b,c.");
        // picocli formats footer lines; escape any '%' so that they print as written
        return lines.stream().map(l -> l.replace("%", "%%")).toArray(String[]::new);
    }

    /** The version of the running jar: its manifest, else its Maven metadata, else {@code dev}. */
    static final class Version implements IVersionProvider {
        private static final String POM_PROPERTIES = "/META-INF/maven/io.herald/herald-server/pom.properties";

        @Override
        public String[] getVersion() {
            return new String[] {"herald " + version(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }

        static String version() {
            String v = HeraldCommand.class.getPackage().getImplementationVersion();
            if (v != null) {
                return v;
            }
            try (InputStream in = HeraldCommand.class.getResourceAsStream(POM_PROPERTIES)) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    return p.getProperty("version", "dev");
                }
            } catch (IOException e) {
                // fall through: the version is informational only
            }
            return "dev";
        }
    }
}
