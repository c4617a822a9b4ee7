package io.herald.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What waits for one slow subscriber of one channel while its socket is not writable (SPEC §3,
 * slow consumers). Keyed values keep coalescing here (latest wins); past {@code boundBytes} the
 * oldest plain messages are dropped and counted, to be reported in a {@code lag} frame; critical
 * messages are never dropped; if what cannot be dropped exceeds the hard bound, {@link #add}
 * says so and the connection is closed with 4003.
 *
 * <p>Not thread-safe: confined to the subscriber's event loop.
 */
final class Backlog {
    /** The hard bound is this many times the buffer bound: room for critical messages and latest key values. */
    static final int HARD_BOUND_FACTOR = 4;

    private static final class Node {
        final Encoded message;
        Node prev;
        Node next;
        boolean unlinked;

        Node(Encoded message) {
            this.message = message;
        }
    }

    private final long boundBytes;
    private final long hardBoundBytes;
    private final Map<String, Node> byKey = new HashMap<>();
    private final ArrayDeque<Node> plain = new ArrayDeque<>();
    private Node head;
    private Node tail;
    private int size;
    private long bytes;
    private long skipped;
    private long droppedTotal;
    private long coalesced;

    Backlog(long boundBytes) {
        this.boundBytes = boundBytes;
        this.hardBoundBytes = boundBytes * HARD_BOUND_FACTOR;
    }

    /**
     * Queues {@code m} after what is already here. Returns false when messages that must not be
     * dropped alone exceed the hard bound: the subscriber cannot keep up and must be disconnected.
     */
    boolean add(Encoded m, boolean coalesce) {
        Node node = new Node(m);
        if (coalesce && m.key() != null) {
            Node old = byKey.put(m.key(), node);
            if (old != null) {
                unlink(old);
                coalesced++;
            }
        } else if (!m.critical()) {
            plain.add(node);
        }
        link(node);
        while (bytes > boundBytes && !plain.isEmpty()) {
            Node oldest = plain.pollFirst();
            if (!oldest.unlinked) {
                unlink(oldest);
                skipped++;
                droppedTotal++;
            }
        }
        return bytes <= hardBoundBytes;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    long bytes() {
        return bytes;
    }

    /** Counts {@code n} messages dropped before they reached this backlog, to be told with the next {@code lag}. */
    void addSkipped(long n) {
        skipped += n;
    }

    /** Plain messages dropped since the last {@link #takeSkipped()}. */
    long takeSkipped() {
        long s = skipped;
        skipped = 0;
        return s;
    }

    long coalesced() {
        return coalesced;
    }

    /** Plain messages dropped since this backlog began. */
    long droppedTotal() {
        return droppedTotal;
    }

    /** Removes and returns up to {@code max} of the oldest messages, in order. */
    List<Encoded> poll(int max) {
        List<Encoded> out = new ArrayList<>(Math.min(max, size));
        while (head != null && out.size() < max) {
            Node n = head;
            unlink(n);
            if (n.message.key() != null) {
                byKey.remove(n.message.key(), n);
            }
            out.add(n.message);
        }
        while (!plain.isEmpty() && plain.peekFirst().unlinked) {
            plain.pollFirst();
        }
        return out;
    }

    private void link(Node n) {
        n.prev = tail;
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
        }
        tail = n;
        size++;
        bytes += n.message.element().length;
    }

    private void unlink(Node n) {
        if (n.prev == null) {
            head = n.next;
        } else {
            n.prev.next = n.next;
        }
        if (n.next == null) {
            tail = n.prev;
        } else {
            n.next.prev = n.prev;
        }
        n.prev = null;
        n.next = null;
        n.unlinked = true;
        size--;
        bytes -= n.message.element().length;
    }
}
