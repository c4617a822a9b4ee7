/**
 * The client's internals. No compatibility promise: anything here may change in any release.
 */
package io.herald.client.internal;
