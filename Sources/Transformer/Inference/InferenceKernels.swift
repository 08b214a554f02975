import CBLAS
import CPrefetch

/// The kernels of a decoding step: a few rows (one per live sequence) through each weight matrix.
///
/// Decoding one token is matrix-vector work bounded by reading the weights from memory, so the
/// products here stream each packed weight panel (`PackedMatrix`) once for all rows of the batch,
/// with the accumulators of a block of rows in registers. Large row counts (a prompt's prefill) go
/// to OpenBLAS sgemm, which wins once the product is compute-bound.
///
/// Accumulations are written `a = a.addingProduct(b, c)`: that is one fused multiply-add
/// instruction, whereas `a += b * c` on SIMD types compiles to a multiply and a separate add.
enum InferenceKernels {
    /// Above this many rows a product is compute-bound and sgemm is faster than the streaming kernel.
    static let sgemmRowThreshold = 16

    /// y[r, :] = x[r, :] · W (+ bias) (+ y[r, :] when `accumulate`) through OpenBLAS sgemm, for W
    /// stored in × out row-major (GPT-2's Conv1D layout): the path for many rows (a prefill).
    static func sgemmLinear(
        _ x: UnsafePointer<Float>, rows: Int, inCount: Int,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outCount: Int,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool, threads: Int
    ) {
        // Seed y with the bias (and keep the old y when accumulating), then y += x · W.
        if let bias {
            for r in 0..<rows {
                let row = y + r * outCount
                if accumulate { for j in 0..<outCount { row[j] += bias[j] } } else { row.update(from: bias, count: outCount) }
            }
        } else if !accumulate {
            y.update(repeating: 0, count: rows * outCount)
        }
        BLASThreads.use(threads)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(outCount), Int32(inCount),
                    1, x, Int32(inCount), weight, Int32(outCount), 1, y, Int32(outCount))
    }

    /// logits[r, v] = x[r, :] · E[v, :] through sgemm, E being the token embedding (V × C): the
    /// tied LM head for many rows.
    static func sgemmLanguageModelHead(
        _ x: UnsafePointer<Float>, rows: Int, embedding: UnsafePointer<Float>, vocabularySize: Int, channels: Int,
        into logits: UnsafeMutablePointer<Float>, threads: Int
    ) {
        BLASThreads.use(threads)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(vocabularySize), Int32(channels),
                    1, x, Int32(channels), embedding, Int32(channels), 0, logits, Int32(vocabularySize))
    }

    /// y[r, :] = x[r, :] · W (+ bias) (+ y[r, :] when `accumulate`) for a packed W: the decoding
    /// product. Rows of x are `W.inCount` apart, rows of y `W.outCount`. Threads split the panels.
    static func linear(
        _ x: UnsafePointer<Float>, rows: Int, weight: PackedMatrix, bias: UnsafePointer<Float>?,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool, threads: Int
    ) {
        // Below ~64K multiply-adds a second thread costs more than it saves.
        let minimumPanels = max(2, 65_536 / max(1, weight.inCount * rows * PackedMatrix.panelWidth))
        Parallel.forEachRange(weight.panels, threads: threads, minimumPerRange: minimumPanels) { panels in
            if rows == 1 {
                streamOneRow(x, weight: weight, bias: bias, into: y, accumulate: accumulate, panels: panels)
            } else {
                streamRows(x, rows: rows, weight: weight, bias: bias, into: y, accumulate: accumulate, panels: panels)
            }
        }
    }

    typealias Vector = SIMD16<Float>

    /// How far ahead (in floats) the several-row kernel asks for weights: at 16 multiply-adds per
    /// 128 bytes its loads alone do not keep enough memory requests in flight to cover the
    /// latency of main memory. Past a panel's end is the next panel. The distance is the best of
    /// those measured (Benchmarks/results/README.md, "Measured choices").
    static let prefetchDistance = 8192

    /// How far ahead (in floats) attention asks for keys and values. Weights and cache together
    /// outgrow the last-level cache at batch 8, so the hint is non-temporal, meant to leave more
    /// of it to the weights (the hint and the distance were measured: Benchmarks/results/README.md,
    /// "Measured choices").
    static let attentionPrefetchDistance = 1024

    @inline(__always)
    static func prefetchCache(_ p: UnsafePointer<Float>) { prefetch_once(p) }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Vector { UnsafeRawPointer(p).loadUnaligned(as: Vector.self) }

    /// Lanes 0..<n of y[j ..< j + 16] (n < 16 at the last panel's edge).
    @inline(__always)
    static func loadPartial(_ p: UnsafePointer<Float>, _ n: Int) -> Vector {
        if n == 16 { return load(p) }
        var v = Vector()
        for k in 0..<n { v[k] = p[k] }
        return v
    }

    @inline(__always)
    static func storePartial(_ v: Vector, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
        if n == 16 {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
        } else {
            for k in 0..<n { p[k] = v[k] }
        }
    }

    /// The initial accumulator of row r, columns j ..< j + n: bias and/or the old y.
    @inline(__always)
    static func startValue(
        bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>, row r: Int, column j: Int, lanes n: Int,
        outCount: Int, accumulate: Bool
    ) -> Vector {
        var v = bias.map { loadPartial($0 + j, n) } ?? Vector()
        if accumulate { v += loadPartial(y + r * outCount + j, n) }
        return v
    }

    /// Several rows: 8 rows by one 32-column panel a block (16 accumulators, which AVX-512's 32
    /// registers hold), each panel load used by all 8 rows. A last block of fewer than 8 rows
    /// repeats its last row in the spare slots and stores only the real rows; at these row
    /// counts the product waits on memory, not on multiply-adds.
    @inline(__always)
    static func streamRows(
        _ x: UnsafePointer<Float>, rows: Int, weight: PackedMatrix, bias: UnsafePointer<Float>?,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool, panels: Range<Int>
    ) {
        let inCount = weight.inCount, outCount = weight.outCount, width = PackedMatrix.panelWidth
        for p in panels {
            let j = p * width
            let n0 = min(16, outCount - j), n1 = max(0, min(16, outCount - j - 16))
            var r0 = 0
            while r0 < rows {
                @inline(__always) func row(_ k: Int) -> UnsafePointer<Float> { x + min(r0 + k, rows - 1) * inCount }
                @inline(__always) func start(_ k: Int, _ half: Int) -> Vector {
                    let n = half == 0 ? n0 : n1
                    guard r0 + k < rows, n > 0 else { return Vector() }
                    return startValue(bias: bias, y: y, row: r0 + k, column: j + 16 * half, lanes: n, outCount: outCount, accumulate: accumulate)
                }
                @inline(__always) func store(_ v: Vector, _ k: Int, _ half: Int) {
                    let n = half == 0 ? n0 : n1
                    guard r0 + k < rows, n > 0 else { return }
                    storePartial(v, y + (r0 + k) * outCount + j + 16 * half, n)
                }
                var a00 = start(0, 0), a01 = start(0, 1), a10 = start(1, 0), a11 = start(1, 1)
                var a20 = start(2, 0), a21 = start(2, 1), a30 = start(3, 0), a31 = start(3, 1)
                var a40 = start(4, 0), a41 = start(4, 1), a50 = start(5, 0), a51 = start(5, 1)
                var a60 = start(6, 0), a61 = start(6, 1), a70 = start(7, 0), a71 = start(7, 1)
                let x0 = row(0), x1 = row(1), x2 = row(2), x3 = row(3), x4 = row(4), x5 = row(5), x6 = row(6), x7 = row(7)
                var w = UnsafePointer(weight.panel(p))
                for i in 0..<inCount {
                    prefetch_for_read(w + prefetchDistance); prefetch_for_read(w + prefetchDistance + 16)
                    let w0 = load(w), w1 = load(w + 16)
                    var b = Vector(repeating: x0[i]); a00 = a00.addingProduct(b, w0); a01 = a01.addingProduct(b, w1)
                    b = Vector(repeating: x1[i]); a10 = a10.addingProduct(b, w0); a11 = a11.addingProduct(b, w1)
                    b = Vector(repeating: x2[i]); a20 = a20.addingProduct(b, w0); a21 = a21.addingProduct(b, w1)
                    b = Vector(repeating: x3[i]); a30 = a30.addingProduct(b, w0); a31 = a31.addingProduct(b, w1)
                    b = Vector(repeating: x4[i]); a40 = a40.addingProduct(b, w0); a41 = a41.addingProduct(b, w1)
                    b = Vector(repeating: x5[i]); a50 = a50.addingProduct(b, w0); a51 = a51.addingProduct(b, w1)
                    b = Vector(repeating: x6[i]); a60 = a60.addingProduct(b, w0); a61 = a61.addingProduct(b, w1)
                    b = Vector(repeating: x7[i]); a70 = a70.addingProduct(b, w0); a71 = a71.addingProduct(b, w1)
                    w += width
                }
                store(a00, 0, 0); store(a01, 0, 1); store(a10, 1, 0); store(a11, 1, 1)
                store(a20, 2, 0); store(a21, 2, 1); store(a30, 3, 0); store(a31, 3, 1)
                store(a40, 4, 0); store(a41, 4, 1); store(a50, 5, 0); store(a51, 5, 1)
                store(a60, 6, 0); store(a61, 6, 1); store(a70, 7, 0); store(a71, 7, 1)
                r0 += 8
            }
        }
    }

    /// One row: two panels at a time (four independent accumulators hide the multiply-add
    /// latency; the product is bound by reading the weights), then a last single panel.
    @inline(__always)
    static func streamOneRow(
        _ x: UnsafePointer<Float>, weight: PackedMatrix, bias: UnsafePointer<Float>?,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool, panels: Range<Int>
    ) {
        let inCount = weight.inCount, outCount = weight.outCount, width = PackedMatrix.panelWidth
        @inline(__always) func lanes(_ j: Int) -> Int { max(0, min(16, outCount - j)) }
        @inline(__always) func start(_ j: Int) -> Vector {
            let n = lanes(j)
            return n == 0 ? Vector() : startValue(bias: bias, y: y, row: 0, column: j, lanes: n, outCount: outCount, accumulate: accumulate)
        }
        @inline(__always) func store(_ v: Vector, _ j: Int) {
            let n = lanes(j)
            if n > 0 { storePartial(v, y + j, n) }
        }
        var p = panels.lowerBound
        while p + 2 <= panels.upperBound {
            let j = p * width
            var a0 = start(j), a1 = start(j + 16), a2 = start(j + 32), a3 = start(j + 48)
            var w = UnsafePointer(weight.panel(p)), v = UnsafePointer(weight.panel(p + 1))
            for i in 0..<inCount {
                let xi = Vector(repeating: x[i])
                a0 = a0.addingProduct(xi, load(w)); a1 = a1.addingProduct(xi, load(w + 16))
                a2 = a2.addingProduct(xi, load(v)); a3 = a3.addingProduct(xi, load(v + 16))
                w += width; v += width
            }
            store(a0, j); store(a1, j + 16); store(a2, j + 32); store(a3, j + 48)
            p += 2
        }
        if p < panels.upperBound {
            let j = p * width
            var a0 = start(j), a1 = start(j + 16), b0 = Vector(), b1 = Vector()
            var w = UnsafePointer(weight.panel(p))
            var i = 0
            while i + 2 <= inCount {
                let x0 = Vector(repeating: x[i]), x1 = Vector(repeating: x[i + 1])
                a0 = a0.addingProduct(x0, load(w)); a1 = a1.addingProduct(x0, load(w + 16))
                b0 = b0.addingProduct(x1, load(w + width)); b1 = b1.addingProduct(x1, load(w + width + 16))
                w += 2 * width; i += 2
            }
            if i < inCount {
                let xi = Vector(repeating: x[i])
                a0 = a0.addingProduct(xi, load(w)); a1 = a1.addingProduct(xi, load(w + 16))
            }
            store(a0 + b0, j); store(a1 + b1, j + 16)
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
    /// out = softmax(q · Kᵀ / √d) · V. Keys are stored in blocks of 16 positions, each block
    /// `headSize` × 16 floats (dimension-major, see `KVCache`); values position-major
    /// (`length` × `headSize`). `scores` holds at least `length` rounded up to 16 floats of scratch.
    static func attend(
        query: UnsafePointer<Float>, blockedKeys keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
        length: Int, headSize: Int, scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        scoreKeys(query: query, blockedKeys: keys, length: length, headSize: headSize,
                  scale: 1 / Float(headSize).squareRoot(), into: scores)
        let inverse = 1 / softmaxNumerators(scores, count: length)
        if headSize % 16 == 0 {
            weightValuesVectorized(scores, values: values, length: length, headSize: headSize, scale: inverse, into: out)
            return
        }
        out.update(repeating: 0, count: headSize)
        for t in 0..<length {
            addScaled(values + t * headSize, scale: scores[t] * inverse, into: out, count: headSize)
        }
    }

    /// scores[t] = scale · q · K[t] for t in 0..<length, one vector for a block of 16 positions:
    /// key dimension c of a block is 16 consecutive floats, so each dimension adds q[c] times one
    /// vector, no sum across lanes is needed, and the blocks are read front to back in one stream.
    /// The lanes of the last block past `length` are computed too (from whatever the padding
    /// holds); `softmaxNumerators` masks them.
    @inline(__always)
    static func scoreKeys(
        query: UnsafePointer<Float>, blockedKeys keys: UnsafePointer<Float>,
        length: Int, headSize: Int, scale: Float, into scores: UnsafeMutablePointer<Float>
    ) {
        var k = keys
        for block in 0..<(length + 15) / 16 {
            // Four accumulators over interleaved dimensions hide the multiply-add latency.
            var a0 = Vector(), a1 = Vector(), a2 = Vector(), a3 = Vector()
            var c = 0
            while c + 4 <= headSize {
                prefetchCache(k + attentionPrefetchDistance); prefetchCache(k + attentionPrefetchDistance + 32)
                a0 = a0.addingProduct(Vector(repeating: query[c]), load(k))
                a1 = a1.addingProduct(Vector(repeating: query[c + 1]), load(k + 16))
                a2 = a2.addingProduct(Vector(repeating: query[c + 2]), load(k + 32))
                a3 = a3.addingProduct(Vector(repeating: query[c + 3]), load(k + 48))
                k += 64; c += 4
            }
            while c < headSize {
                a0 = a0.addingProduct(Vector(repeating: query[c]), load(k))
                k += 16; c += 1
            }
            UnsafeMutableRawPointer(scores + 16 * block).storeBytes(of: ((a0 + a1) + (a2 + a3)) * scale, as: Vector.self)
        }
    }

    /// Replaces scores[0..<count] by exp(score − max) and returns their sum; the lanes of the last
    /// block of 16 past `count` are left out (set to 0).
    @inline(__always)
    static func softmaxNumerators(_ scores: UnsafeMutablePointer<Float>, count: Int) -> Float {
        let blocks = (count + 15) / 16
        let lane = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let lastLanes = SIMD16<Int32>(repeating: Int32(count - 16 * (blocks - 1)))
        var best = Vector(repeating: -.infinity)
        for block in 0..<blocks {
            var v = load(scores + 16 * block)
            if block == blocks - 1 { v.replace(with: -.infinity, where: lane .>= lastLanes) }
            best = pointwiseMax(best, v)
        }
        let maximum = horizontalMaximum(best)
        var sum = Vector()
        for block in 0..<blocks {
            var e = VectorMath.exp(load(scores + 16 * block) - maximum)
            if block == blocks - 1 { e.replace(with: 0, where: lane .>= lastLanes) }
            UnsafeMutableRawPointer(scores + 16 * block).storeBytes(of: e, as: Vector.self)
            sum += e
        }
        return horizontalSum(sum)
    }

    /// The largest lane, by halving (the generic `max()` goes lane by lane).
    @inline(__always)
    static func horizontalMaximum(_ v: Vector) -> Float {
        let a = pointwiseMax(v.lowHalf, v.highHalf), b = pointwiseMax(a.lowHalf, a.highHalf)
        let c = pointwiseMax(b.lowHalf, b.highHalf)
        return Swift.max(c[0], c[1])
    }

    /// The sum of the lanes, by halving.
    @inline(__always)
    static func horizontalSum(_ v: Vector) -> Float {
        let a = v.lowHalf + v.highHalf, b = a.lowHalf + a.highHalf, c = b.lowHalf + b.highHalf
        return c[0] + c[1]
    }

    /// out = scale · Σₜ weights[t] · V[t] for head sizes that are a multiple of 16: the output (at
    /// most four vectors at a time) stays in registers over all positions, with even and odd
    /// positions in separate accumulators to hide the multiply-add latency.
    @inline(__always)
    static func weightValuesVectorized(
        _ weights: UnsafePointer<Float>, values: UnsafePointer<Float>, length: Int, headSize: Int, scale: Float,
        into out: UnsafeMutablePointer<Float>
    ) {
        typealias V = SIMD16<Float>
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        @inline(__always) func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }
        var c = 0
        while c + 64 <= headSize {
            var a0 = V(), a1 = V(), a2 = V(), a3 = V(), b0 = V(), b1 = V(), b2 = V(), b3 = V()
            var v = values + c
            var t = 0
            while t + 2 <= length {
                prefetchCache(v + attentionPrefetchDistance); prefetchCache(v + attentionPrefetchDistance + headSize)
                let p = V(repeating: weights[t]), u = V(repeating: weights[t + 1])
                let w = v + headSize
                a0 = a0.addingProduct(p, load(v)); a1 = a1.addingProduct(p, load(v + 16)); a2 = a2.addingProduct(p, load(v + 32)); a3 = a3.addingProduct(p, load(v + 48))
                b0 = b0.addingProduct(u, load(w)); b1 = b1.addingProduct(u, load(w + 16)); b2 = b2.addingProduct(u, load(w + 32)); b3 = b3.addingProduct(u, load(w + 48))
                v += 2 * headSize
                t += 2
            }
            if t < length {
                let p = V(repeating: weights[t])
                a0 = a0.addingProduct(p, load(v)); a1 = a1.addingProduct(p, load(v + 16)); a2 = a2.addingProduct(p, load(v + 32)); a3 = a3.addingProduct(p, load(v + 48))
            }
            let s = V(repeating: scale)
            store((a0 + b0) * s, out + c); store((a1 + b1) * s, out + c + 16)
            store((a2 + b2) * s, out + c + 32); store((a3 + b3) * s, out + c + 48)
            c += 64
        }
        while c < headSize {
            var a0 = V(), a1 = V()
            var v = values + c
            var t = 0
            while t + 2 <= length {
                a0 = a0.addingProduct(V(repeating: weights[t]), load(v))
                a1 = a1.addingProduct(V(repeating: weights[t + 1]), load(v + headSize))
                v += 2 * headSize
                t += 2
            }
            if t < length { a0 = a0.addingProduct(V(repeating: weights[t]), load(v)) }
            store((a0 + a1) * V(repeating: scale), out + c)
            c += 16
        }
    }
}


