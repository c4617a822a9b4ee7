package io.herald.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a server, for tests of what a client does when the network fails: it
 * forwards bytes both ways until told to {@link #cutAll() cut} every connection (a reset, no
 * close frame) or to {@link #silenceAll() silence} them (the sockets stay open and nothing
 * passes, as with a server that hangs or a network that drops packets). New connections work.
 */
final class CuttableProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Pair> pairs = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    CuttableProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every connection open now. */
    void cutAll() {
        for (Pair p : pairs) {
            p.cut();
        }
    }

    /** Lets nothing more through on the connections open now; they stay open. */
    void silenceAll() {
        for (Pair p : pairs) {
            p.silent = true;
        }
    }

    /** The connections open now. */
    int open() {
        return (int) pairs.stream().filter(p -> !p.client.isClosed()).count();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Pair p = new Pair(client, server);
                pairs.add(p);
                p.start();
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection end
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        cutAll();
    }

    private final class Pair {
        final Socket client;
        final Socket server;
        volatile boolean silent;

        Pair(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            pump(client, server, "proxy-up");
            pump(server, client, "proxy-down");
        }

        private void pump(Socket from, Socket to, String name) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (!silent) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // cut or closed
                } finally {
                    if (silent) {
                        reset(from); // a silenced peer hears nothing, not even that the other side went
                    } else {
                        cut();
                    }
                }
            }, name);
            t.setDaemon(true);
            t.start();
        }

        void cut() {
            reset(client);
            reset(server);
            pairs.remove(this);
        }

        private void reset(Socket s) {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
