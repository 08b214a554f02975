import Support

/// Writes safetensors files atomically (temporary file, fsync, rename; see `AtomicFile`).
public enum SafeTensorsWriter {
    /// One tensor to write: raw little-endian bytes of `dtype` in `shape`.
    public struct Tensor {
        public var name: String
        public var dtype: String
        public var shape: [Int]
        public var bytes: UnsafeRawBufferPointer

        public init(name: String, dtype: String, shape: [Int], bytes: UnsafeRawBufferPointer) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }

        /// A float32 tensor.
        public init(name: String, shape: [Int], floats: UnsafeBufferPointer<Float>) {
            self.init(name: name, dtype: "F32", shape: shape, bytes: UnsafeRawBufferPointer(floats))
        }
    }

    /// Writes `tensors` in order, data packed back to back, header padded with spaces to a
    /// multiple of 8 bytes so every tensor starts 8-byte aligned.
    public static func write(_ tensors: [Tensor], metadata: [String: String] = [:], to path: String) throws {
        var header = "{"
        var entries: [String] = []
        if !metadata.isEmpty {
            let items = metadata.keys.sorted().map { "\(JSONString.quoted($0)):\(JSONString.quoted(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(items.joined(separator: ","))}")
        }
        var offset = 0
        for tensor in tensors {
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append("\(JSONString.quoted(tensor.name)):{\"dtype\":\(JSONString.quoted(tensor.dtype)),\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + tensor.bytes.count)]}")
            offset += tensor.bytes.count
        }
        header += entries.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while (8 + headerBytes.count) % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }
        var length = UInt64(headerBytes.count).littleEndian
        try AtomicFile.write(to: path) { sink in
            try withUnsafeBytes(of: &length) { try sink.append($0) }
            try sink.append(headerBytes)
            for tensor in tensors { try sink.append(tensor.bytes) }
        }
    }
}
