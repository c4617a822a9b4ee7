package io.herald.server.internal.cli;

import io.herald.server.AuthConfig;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Development credentials: an HS256 secret and an admin API key that {@code herald serve} creates
 * when nothing configures authentication, so that a fresh checkout is usable at once and still
 * refuses everyone who cannot read them. They live in {@value #RELATIVE_PATH} under the working
 * directory, in a directory and file only the owner may read (0700, 0600) and that git ignores,
 * and are reused on later starts; delete the file to get new ones.
 *
 * <p>They are for one machine: they are never used when a config file, a {@code HERALD_*} variable
 * or a flag configures authentication ({@link LoadedConfig#authConfigured()}), nor when the server
 * binds an address that other machines can reach ({@link #isLoopback}).
 *
 * <p>{@link #toString()} never shows a secret.
 *
 * @param secret   the HS256 secret: 64 hex digits, i.e. 32 random bytes
 * @param adminKey an admin API key: 64 hex digits
 */
record DevCredentials(String secret, String adminKey) {
    /** Where the credentials are kept, relative to the working directory. */
    static final String RELATIVE_PATH = ".herald/dev-credentials";

    private static final String SECRET_KEY = "auth.jwt.secret";
    private static final String ADMIN_KEY = "auth.apiKeys.admin";
    private static final int RANDOM_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The file that holds the credentials for {@code workingDirectory}. */
    static Path file(Path workingDirectory) {
        return workingDirectory.resolve(RELATIVE_PATH);
    }

    /**
     * Whether every address {@code host} names is a loopback address, so that only this machine can
     * connect; an unknown name is not.
     */
    static boolean isLoopback(String host) {
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The credentials in {@code file}, if it exists.
     *
     * @throws IllegalStateException when it cannot be read or does not hold valid credentials
     */
    static Optional<DevCredentials> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String secret = p.getProperty(SECRET_KEY, "").strip();
        String adminKey = p.getProperty(ADMIN_KEY, "").strip();
        if (secret.getBytes(StandardCharsets.UTF_8).length < AuthConfig.MIN_SECRET_BYTES
                || adminKey.length() < AuthConfig.MIN_API_KEY_LENGTH) {
            throw new IllegalStateException(file + " does not hold valid development credentials (" + SECRET_KEY
                    + " of at least " + AuthConfig.MIN_SECRET_BYTES + " bytes and " + ADMIN_KEY + " of at least "
                    + AuthConfig.MIN_API_KEY_LENGTH + " characters); delete it and start again to create new ones");
        }
        return Optional.of(new DevCredentials(secret, adminKey));
    }

    /**
     * The credentials in {@code file}, created with fresh random values if it does not exist.
     *
     * @throws IllegalStateException when it cannot be read or written
     */
    static Loaded readOrCreate(Path file) {
        Optional<DevCredentials> existing = read(file);
        if (existing.isPresent()) {
            return new Loaded(existing.get(), false);
        }
        DevCredentials fresh = new DevCredentials(randomHex(), randomHex());
        try {
            fresh.write(file);
        } catch (FileAlreadyExistsException e) {
            // another start created it first: use what it wrote, so that both agree
            return new Loaded(read(file).orElseThrow(), false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + file + ": " + e.getMessage(), e);
        }
        return new Loaded(fresh, true);
    }

    /** The credentials, and whether this call created them. */
    record Loaded(DevCredentials credentials, boolean created) {
    }

    /** {@code auth} with this secret and this admin key added. */
    AuthConfig applyTo(AuthConfig auth) {
        return auth.toBuilder().jwtSecret(secret).adminApiKeys(List.of(adminKey)).build();
    }

    /**
     * Whether others than the owner may read or change {@code file}: true only where POSIX
     * permissions exist and allow it.
     */
    static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return !OWNER_ONLY_FILE.containsAll(p);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "DevCredentials[secret=***, adminKey=***]";
    }

    // Written to a private temporary file, then linked into place, so that no one ever reads a
    // half-written file or one with wider permissions, and a concurrent start cannot replace it.
    private void write(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, ownerOnly(directory, OWNER_ONLY_DIRECTORY));
            // a second guard, for a working directory that is some other repository
            Files.writeString(directory.resolve(".gitignore"), "# Herald's local development credentials\n*\n");
        }
        Path temporary = Files.createTempFile(directory, ".dev-credentials", ".tmp", ownerOnly(directory, OWNER_ONLY_FILE));
        try {
            Files.writeString(temporary, String.join(System.lineSeparator(),
                    "# Herald development credentials, created " + Instant.now() + " by 'herald serve' because no",
                    "# authentication was configured. For this machine only: git ignores them, only you may read",
                    "# them. Not used when a config file, HERALD_AUTH_* variables or flags configure auth, nor on",
                    "# an address other machines can reach. Delete this file to get new ones.",
                    SECRET_KEY + "=" + secret,
                    ADMIN_KEY + "=" + adminKey,
                    ""), StandardCharsets.UTF_8);
            try {
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | IOException e) {
                // a file system without hard links: a rename is atomic too, though it may replace
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path directory, Set<PosixFilePermission> permissions) {
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }

    private static String randomHex() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
