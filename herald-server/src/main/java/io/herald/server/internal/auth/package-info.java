/**
 * Authentication and authorization (SPEC §8): connection tokens, channel permissions, API keys and
 * the origin check. {@link io.herald.server.internal.auth.Authenticator} is the facade the
 * transports call; the rest are its parts. Configured by {@link io.herald.server.AuthConfig}.
 *
 * <p>No compatibility promise: anything here may change in any release.
 */
package io.herald.server.internal.auth;
