package io.herald.bench.load;

/**
 * How subscribers and messages are spread over {@code channels} channels numbered 0 to
 * {@code channels - 1}: the subscriber with global index {@code i} (over all load generator
 * processes) is on channel {@code i mod channels}, and message {@code j} of a run goes to channel
 * {@code j mod channels}. Channel names and subscribe URLs are templates in which
 * {@value #PLACEHOLDER} stands for the channel's number ({@code ch-{c}} names {@code ch-7}); a
 * template without it names one channel, which is only allowed with one channel. {@code fanout}
 * is the layout of one channel. Immutable.
 */
record ChannelLayout(int channels) {
    static final String PLACEHOLDER = "{c}";

    ChannelLayout {
        if (channels < 1) {
            throw new IllegalArgumentException("the number of channels must be at least 1, not " + channels);
        }
    }

    /** The channel of the subscriber, or of the message, with this global index (0 or more). */
    int channelOf(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("a global index is 0 or more, not " + index);
        }
        return (int) (index % channels);
    }

    /** Subscribers of {@code channel} when {@code total} subscribers are spread over the channels. */
    long subscribers(long total, int channel) {
        return total / channels + (channel < total % channels ? 1 : 0);
    }

    /** {@link #subscribers} of every channel, indexed by channel. */
    long[] subscribersPerChannel(long total) {
        long[] out = new long[channels];
        for (int k = 0; k < channels; k++) {
            out[k] = subscribers(total, k);
        }
        return out;
    }

    /**
     * The deliveries expected: for each channel, the messages published to it times its
     * subscribers. The arrays are indexed by channel.
     */
    static long expected(long[] messagesPerChannel, long[] subscribersPerChannel) {
        if (messagesPerChannel.length != subscribersPerChannel.length) {
            throw new IllegalArgumentException("per-channel counts of different lengths: "
                    + messagesPerChannel.length + " and " + subscribersPerChannel.length);
        }
        long sum = 0;
        for (int k = 0; k < messagesPerChannel.length; k++) {
            sum += messagesPerChannel[k] * subscribersPerChannel[k];
        }
        return sum;
    }

    /** {@code template} with every {@value #PLACEHOLDER} replaced by {@code channel}. */
    static String fill(String template, int channel) {
        return template.replace(PLACEHOLDER, Integer.toString(channel));
    }

    /**
     * Rejects a template that cannot tell this layout's channels apart: more than one channel and
     * no {@value #PLACEHOLDER}. Returns the template.
     */
    String check(String template, String what) {
        if (channels > 1 && !template.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException(what + " '" + template + "' has no " + PLACEHOLDER + " for the channel number,"
                    + " but there are " + channels + " channels");
        }
        return template;
    }
}
