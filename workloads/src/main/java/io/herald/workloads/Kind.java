package io.herald.workloads;

/** The three kinds of message of SPEC §3, as the scan workload publishes them. */
public enum Kind {
    /** Published with {@code "critical": true}: never throttled, coalesced or dropped. */
    CRITICAL,
    /** Published with a {@code key}: only the latest value per key must arrive. */
    KEYED,
    /** Everything else: every one is delivered, unless the server reports it in a {@code lag} frame. */
    PLAIN
}
