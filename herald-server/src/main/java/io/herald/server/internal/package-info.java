/**
 * The Netty server's internals. No compatibility promise: anything here may change in any release.
 */
package io.herald.server.internal;
