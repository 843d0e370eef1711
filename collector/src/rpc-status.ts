import protobuf from 'protobufjs';

/** gRPC status codes used by the collector (google.rpc.Code). */
export const GrpcCode = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/**
 * google.rpc.Status {code = 1, message = 2, details = 3 (Any)}, optionally carrying a
 * google.rpc.RetryInfo {retry_delay = 1 (Duration {seconds = 1})} so clients back off as told.
 */
export function encodeRpcStatus(code: number, message: string, retryAfterSeconds?: number): Uint8Array {
  const writer = protobuf.Writer.create();
  writer.uint32(8).int32(code);
  writer.uint32(18).string(message);
  if (retryAfterSeconds !== undefined) {
    const duration = protobuf.Writer.create().uint32(8).int64(retryAfterSeconds).finish();
    const retryInfo = protobuf.Writer.create().uint32(10).bytes(duration).finish();
    const any = protobuf.Writer.create()
      .uint32(10)
      .string('type.googleapis.com/google.rpc.RetryInfo')
      .uint32(18)
      .bytes(retryInfo)
      .finish();
    writer.uint32(26).bytes(any);
  }
  return writer.finish();
}

/** The same Status in the proto3 JSON mapping (details omitted: Any needs the type registry). */
export function encodeRpcStatusJson(code: number, message: string): Uint8Array {
  return Buffer.from(JSON.stringify({ code, message }));
}
