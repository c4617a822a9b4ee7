/**
 * Herald's Java client: one WebSocket connection to a Herald server that reconnects by itself and
 * resumes every channel where it left off. Start at {@link io.herald.client.HeraldClient}.
 * Internals live in {@code io.herald.client.internal}, which carries no compatibility promise.
 */
package io.herald.client;
