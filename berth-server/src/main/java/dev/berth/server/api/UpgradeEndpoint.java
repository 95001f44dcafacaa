package dev.berth.server.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A path of the front door's port that leaves HTTP request/response behind, such as the agent
 * channel's WebSocket: it gets the whole request and takes the connection over.
 */
public interface UpgradeEndpoint {
  /** Returns the path this endpoint serves, e.g. /agent/v1. */
  String path();

  /**
   * Takes the connection over for a request to the path: authenticates it, then upgrades the
   * connection or answers an error. The request is released by the caller afterwards.
   */
  void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, ApiRequest apiRequest);
}
