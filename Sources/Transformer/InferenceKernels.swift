import CBLAS

/// The kernels of a decoding step: a few rows (one per live sequence) through each weight matrix.
///
/// Decoding one token is matrix-vector work bounded by reading the weights from memory, so the
/// products here stream each weight row once for all rows of the batch, with several SIMD
/// accumulators per row in registers. Large row counts (a prompt's prefill) go to OpenBLAS sgemm,
/// which wins once the product is compute-bound.
enum InferenceKernels {
    /// Above this many rows a product is compute-bound and sgemm is faster than the streaming kernel.
    static let sgemmRowThreshold = 16

    /// y[r, :] = x[r, :] · W (+ bias) (+ y[r, :] when `accumulate`), for W stored in × out
    /// row-major (GPT-2's Conv1D layout). Rows of x are `inCount` apart, rows of y `outCount`.
    static func linear(
        _ x: UnsafePointer<Float>, rows: Int, inCount: Int,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outCount: Int,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool, parallel: InferenceParallel
    ) {
        if rows > sgemmRowThreshold {
            // Seed y with the bias (and keep the old y when accumulating), then y += x · W.
            if let bias {
                for r in 0..<rows {
                    let row = y + r * outCount
                    if accumulate { for j in 0..<outCount { row[j] += bias[j] } } else { row.update(from: bias, count: outCount) }
                }
            } else if !accumulate {
                y.update(repeating: 0, count: rows * outCount)
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(outCount), Int32(inCount),
                        1, x, Int32(inCount), weight, Int32(outCount), 1, y, Int32(outCount))
            return
        }
        let xs = SharedPointer(UnsafeMutablePointer(mutating: x)), ws = SharedPointer(UnsafeMutablePointer(mutating: weight))
        let bs = bias.map { SharedPointer(UnsafeMutablePointer(mutating: $0)) }, ys = SharedPointer(y)
        // Threads split the output columns in multiples of 64, so each keeps whole register blocks;
        // below ~64K multiply-adds a second thread costs more than it saves.
        let minimumColumns = max(64, 65_536 / max(1, inCount * rows))
        parallel.forEachRange(count: outCount, minimum: minimumColumns, alignment: 64) { columns in
            streamColumns(xs.base, rows: rows, inCount: inCount, weight: ws.base, bias: bs?.base, outCount: outCount,
                          into: ys.base, accumulate: accumulate, columns: columns)
        }
    }

    /// The streaming product over output columns `columns`: for each block of columns, every row
    /// of W in the block is loaded once and multiplied into all rows of x.
    @inline(__always)
    static func streamColumns(
        _ x: UnsafeMutablePointer<Float>, rows: Int, inCount: Int,
        weight: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>?, outCount: Int,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool, columns: Range<Int>
    ) {
        typealias V = SIMD16<Float>
        @inline(__always) func load(_ p: UnsafeMutablePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        @inline(__always) func start(_ r: Int, _ j: Int) -> V {
            var v = bias.map { load($0 + j) } ?? V()
            if accumulate { v += load(y + r * outCount + j) }
            return v
        }
        @inline(__always) func store(_ v: V, _ r: Int, _ j: Int) {
            UnsafeMutableRawPointer(y + r * outCount + j).storeBytes(of: v, as: V.self)
        }
        var j = columns.lowerBound
        let end = columns.upperBound
        if rows == 1 {
            // One row: 64 columns a block, four independent accumulators to hide FMA latency.
            while j + 64 <= end {
                var a0 = start(0, j), a1 = start(0, j + 16), a2 = start(0, j + 32), a3 = start(0, j + 48)
                var w = weight + j
                for i in 0..<inCount {
                    let xi = V(repeating: x[i])
                    a0 += xi * load(w); a1 += xi * load(w + 16); a2 += xi * load(w + 32); a3 += xi * load(w + 48)
                    w += outCount
                }
                store(a0, 0, j); store(a1, 0, j + 16); store(a2, 0, j + 32); store(a3, 0, j + 48)
                j += 64
            }
        } else {
            // Several rows: 32 columns by 4 rows a block (8 accumulators), each W load used 4 times.
            while j + 32 <= end {
                var r = 0
                while r + 4 <= rows {
                    var a00 = start(r, j), a01 = start(r, j + 16), a10 = start(r + 1, j), a11 = start(r + 1, j + 16)
                    var a20 = start(r + 2, j), a21 = start(r + 2, j + 16), a30 = start(r + 3, j), a31 = start(r + 3, j + 16)
                    var w = weight + j
                    let x0 = x + r * inCount, x1 = x0 + inCount, x2 = x1 + inCount, x3 = x2 + inCount
                    for i in 0..<inCount {
                        let w0 = load(w), w1 = load(w + 16)
                        let b0 = V(repeating: x0[i]), b1 = V(repeating: x1[i]), b2 = V(repeating: x2[i]), b3 = V(repeating: x3[i])
                        a00 += b0 * w0; a01 += b0 * w1; a10 += b1 * w0; a11 += b1 * w1
                        a20 += b2 * w0; a21 += b2 * w1; a30 += b3 * w0; a31 += b3 * w1
                        w += outCount
                    }
                    store(a00, r, j); store(a01, r, j + 16); store(a10, r + 1, j); store(a11, r + 1, j + 16)
                    store(a20, r + 2, j); store(a21, r + 2, j + 16); store(a30, r + 3, j); store(a31, r + 3, j + 16)
                    r += 4
                }
                while r < rows {
                    var a0 = start(r, j), a1 = start(r, j + 16)
                    var w = weight + j
                    let xr = x + r * inCount
                    for i in 0..<inCount {
                        let b = V(repeating: xr[i])
                        a0 += b * load(w); a1 += b * load(w + 16)
                        w += outCount
                    }
                    store(a0, r, j); store(a1, r, j + 16)
                    r += 1
                }
                j += 32
            }
        }
        // Column tails narrower than a block (small test models, odd widths): 16 then 1 at a time.
        while j + 16 <= end {
            for r in 0..<rows {
                var a = start(r, j)
                var w = weight + j
                let xr = x + r * inCount
                for i in 0..<inCount { a += V(repeating: xr[i]) * load(w); w += outCount }
                store(a, r, j)
            }
            j += 16
        }
        while j < end {
            for r in 0..<rows {
                var a: Float = bias?[j] ?? 0
                if accumulate { a += y[r * outCount + j] }
                let xr = x + r * inCount
                for i in 0..<inCount { a += xr[i] * weight[i * outCount + j] }
                y[r * outCount + j] = a
            }
            j += 1
        }
    }

    /// logits[r, v] = x[r, :] · E[v, :] for the tied LM head, E being the token embedding (V × C).
    static func languageModelHead(
        _ x: UnsafePointer<Float>, rows: Int, embedding: UnsafePointer<Float>, vocabularySize: Int, channels: Int,
        into logits: UnsafeMutablePointer<Float>, parallel: InferenceParallel
    ) {
        if rows > sgemmRowThreshold {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(vocabularySize), Int32(channels),
                        1, x, Int32(channels), embedding, Int32(channels), 0, logits, Int32(vocabularySize))
            return
        }
        let xs = SharedPointer(UnsafeMutablePointer(mutating: x)), es = SharedPointer(UnsafeMutablePointer(mutating: embedding))
        let ls = SharedPointer(logits)
        parallel.forEachRange(count: vocabularySize, minimum: max(64, 65_536 / max(1, channels * rows)), alignment: 4) { tokens in
            // Four embedding rows at a time, four independent accumulators (one dependent chain of
            // FMAs would wait on its own latency), each block dotted with every x row while in L1.
            typealias V = SIMD16<Float>
            @inline(__always) func load(_ p: UnsafeMutablePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
            var v = tokens.lowerBound
            let vectorChannels = channels / 16 * 16
            while v + 4 <= tokens.upperBound {
                let e0 = es.base + v * channels, e1 = e0 + channels, e2 = e1 + channels, e3 = e2 + channels
                for r in 0..<rows {
                    let xr = xs.base + r * channels
                    var a0 = V(), a1 = V(), a2 = V(), a3 = V()
                    var c = 0
                    while c < vectorChannels {
                        let x = load(xr + c)
                        a0 += x * load(e0 + c); a1 += x * load(e1 + c); a2 += x * load(e2 + c); a3 += x * load(e3 + c)
                        c += 16
                    }
                    var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum()
                    while c < channels {
                        s0 += xr[c] * e0[c]; s1 += xr[c] * e1[c]; s2 += xr[c] * e2[c]; s3 += xr[c] * e3[c]
                        c += 1
                    }
                    let out = ls.base + r * vocabularySize + v
                    out[0] = s0; out[1] = s1; out[2] = s2; out[3] = s3
                }
                v += 4
            }
            while v < tokens.upperBound {
                for r in 0..<rows {
                    ls.base[r * vocabularySize + v] = Reduce.dot(xs.base + r * channels, es.base + v * channels, count: channels)
                }
                v += 1
            }
        }
    }

    /// y += a · x over `count` floats.
    @inline(__always)
    static func addScaled(_ x: UnsafePointer<Float>, scale a: Float, into y: UnsafeMutablePointer<Float>, count: Int) {
        typealias V = SIMD16<Float>
        let av = V(repeating: a)
        var i = 0
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        while i + 16 <= count {
            let v = ry.loadUnaligned(fromByteOffset: i * 4, as: V.self) + av * rx.loadUnaligned(fromByteOffset: i * 4, as: V.self)
            ry.storeBytes(of: v, toByteOffset: i * 4, as: V.self)
            i += 16
        }
        while i < count { y[i] += a * x[i]; i += 1 }
    }

    /// Causal attention of one query (one head) over `length` cached positions:
    /// out = softmax(q · Kᵀ / √d) · V, with K and V stored position-major (`length` × `headSize`).
    /// `scores` holds at least `length` floats of scratch.
    static func attend(
        query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
        length: Int, headSize: Int, scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        let scale = 1 / Float(headSize).squareRoot()
        if headSize % 16 == 0 {
            attendVectorized(query: query, keys: keys, values: values, length: length, headSize: headSize,
                             scale: scale, scores: scores, into: out)
            return
        }
        var maximum = -Float.infinity
        for t in 0..<length {
            let s = Reduce.dot(query, keys + t * headSize, count: headSize) * scale
            scores[t] = s
            maximum = max(maximum, s)
        }
        let sum = VectorMath.exponentiate(scores, count: length, shift: maximum)
        let inverse = 1 / sum
        out.update(repeating: 0, count: headSize)
        for t in 0..<length {
            addScaled(values + t * headSize, scale: scores[t] * inverse, into: out, count: headSize)
        }
    }

    /// `attend` for head sizes that are a multiple of 16: each output chunk of 16 floats stays in
    /// registers over all positions (two accumulators, even and odd positions, to hide FMA
    /// latency) instead of being loaded and stored once per position, and the softmax's
    /// normalisation is applied once at the end.
    @inline(__always)
    static func attendVectorized(
        query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
        length: Int, headSize: Int, scale: Float, scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        typealias V = SIMD16<Float>
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        let chunks = headSize / 16
        var maximum = -Float.infinity
        for t in 0..<length {
            let k = keys + t * headSize
            var a = V()
            for c in 0..<chunks { a += load(query + 16 * c) * load(k + 16 * c) }
            let s = a.sum() * scale
            scores[t] = s
            maximum = max(maximum, s)
        }
        let inverse = 1 / VectorMath.exponentiate(scores, count: length, shift: maximum)
        for c in 0..<chunks {
            var a0 = V(), a1 = V()
            var v = values + 16 * c
            var t = 0
            while t + 2 <= length {
                a0 += V(repeating: scores[t]) * load(v)
                a1 += V(repeating: scores[t + 1]) * load(v + headSize)
                v += 2 * headSize
                t += 2
            }
            if t < length { a0 += V(repeating: scores[t]) * load(v) }
            UnsafeMutableRawPointer(out + 16 * c).storeBytes(of: (a0 + a1) * V(repeating: inverse), as: V.self)
        }
    }
}
