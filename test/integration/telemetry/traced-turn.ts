/** What both tracing tests send and expect: a caller's W3C trace context on "explain alert …" in a personal chat. */
export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const CALLER_SPAN_ID = 'b7ad6b7169203331';
export const callerTraceparent = `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`;

/** The attributes of that message's server span (the correlation id is the one the bot answered with). */
export function explainAlertMessageSpanAttributes(correlationId: string | null): Record<string, unknown> {
  return {
    'http.request.method': 'POST',
    'http.route': '/api/messages',
    'url.path': '/api/messages',
    'http.response.status_code': 200,
    'soc.correlation_id': correlationId,
    'soc.activity.type': 'message',
    'soc.channel': 'msteams',
    'soc.conversation.kind': 'personal',
    'soc.capability': 'explainAlertById',
  };
}
