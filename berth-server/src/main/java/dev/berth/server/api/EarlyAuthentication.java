package dev.berth.server.api;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges a request's signature from its headers before its body is buffered: a request that
 * announces a body and whose headers already fail SigV4 (no signature, a stale date, a scope
 * outside the accepted regions, an unknown access key) is answered with AWS's error at once and the
 * connection closed, without reading the body. The signature itself, which covers the body, is
 * checked by the front door once the body is in.
 */
final class EarlyAuthentication extends ChannelInboundHandlerAdapter {
  private final FrontDoor frontDoor;
  private final long maxBodyBytes;
  private boolean discarding;

  EarlyAuthentication(FrontDoor frontDoor, long maxBodyBytes) {
    this.frontDoor = frontDoor;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (discarding) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request
        && request.decoderResult().isSuccess()
        && announcesBody(request)
        // A body over the limit is the aggregator's to refuse, as AWS does, whoever sends it.
        && HttpUtil.getContentLength(request, 0L) <= maxBodyBytes) {
      ApiResponse refusal = frontDoor.checkBeforeBody(headersOnly(request));
      if (refusal != null) {
        discarding = true;
        ReferenceCountUtil.release(msg);
        FullHttpResponse response = ApiServer.toNetty(refusal, false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        return;
      }
    }
    super.channelRead(ctx, msg);
  }

  private static boolean announcesBody(HttpRequest request) {
    return HttpUtil.isTransferEncodingChunked(request)
        || HttpUtil.getContentLength(request, 0L) > 0;
  }

  private static ApiRequest headersOnly(HttpRequest request) {
    String uri = request.uri();
    int question = uri.indexOf('?');
    return new ApiRequest(
        request.method().name(),
        question < 0 ? uri : uri.substring(0, question),
        question < 0 ? null : uri.substring(question + 1),
        lowerCaseNames(request.headers()),
        new byte[0]);
  }

  /** Returns the headers by lower-case name, as {@link ApiRequest} holds them. */
  static Map<String, List<String>> lowerCaseNames(HttpHeaders headers) {
    Map<String, List<String>> byName = new HashMap<>();
    for (Map.Entry<String, String> header : headers) {
      byName
          .computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), key -> new ArrayList<>(1))
          .add(header.getValue());
    }
    return byName;
  }
}
