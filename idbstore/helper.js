// The JavaScript half of idbstore (embedded into the Go package; see
// helper_js.go). Evaluated once, this expression yields a function that
// returns the helper object.
//
// Every helper method takes its callback and call id last and reports
// exactly once, as cb(id, status, ...): OK with the result (a Uint8Array,
// the IDBDatabase, or numbers), NOT_FOUND, ERROR with the DOMException's
// name and message, or UNSUPPORTED. Methods never throw: synchronous
// failures are reported through cb too.
//
// Request bytes arrive as (buf, n): the first n bytes of buf, valid only
// during the call (Go reuses the buffer), so everything kept is copied
// before returning; IndexedDB copies keys and clones values when a request
// is made. The byte formats are described in codec.go.
(() => {
	"use strict";
	const STORE = "kv";
	// migrations[v] upgrades a database from version v to v+1, inside the
	// versionchange transaction. Append steps; never edit one.
	const migrations = [
		(db) => { db.createObjectStore(STORE); },
	];
	const OK = 0, NOT_FOUND = 1, ERROR = 2, UNSUPPORTED = 3;

	function once(cb, id) {
		let done = false;
		return (...args) => { if (!done) { done = true; cb(id, ...args); } };
	}
	function failure(e) {
		if (e && typeof e === "object") return [ERROR, String(e.name || "Error"), String(e.message || "")];
		return [ERROR, "Error", String(e)];
	}
	// key is the IndexedDB key of the kv key buf[p:p+n]: a binary key, except
	// for the empty key, which is the empty string (ordered before every
	// binary key, and accepted by every implementation).
	function key(buf, p, n) { return n === 0 ? "" : buf.subarray(p, p + n); }
	function bytes(v) {
		if (typeof v === "string" && v === "") return new Uint8Array(0);
		if (v instanceof ArrayBuffer) return new Uint8Array(v);
		if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
		if (Object.prototype.toString.call(v) === "[object ArrayBuffer]") return new Uint8Array(v);
		throw new TypeError("idbstore: record is not bytes (written by someone else?)");
	}
	// pack encodes pairs as (len:u32le key len:u32le value)*.
	function pack(keys, values) {
		const ks = new Array(keys.length), vs = new Array(keys.length);
		let total = 0;
		for (let i = 0; i < keys.length; i++) {
			ks[i] = bytes(keys[i]); vs[i] = bytes(values[i]);
			total += 8 + ks[i].length + vs[i].length;
		}
		const out = new Uint8Array(total), dv = new DataView(out.buffer);
		let p = 0;
		for (let i = 0; i < ks.length; i++) {
			dv.setUint32(p, ks[i].length, true); p += 4; out.set(ks[i], p); p += ks[i].length;
			dv.setUint32(p, vs[i].length, true); p += 4; out.set(vs[i], p); p += vs[i].length;
		}
		return out;
	}
	function storage() {
		return typeof navigator !== "undefined" && navigator && navigator.storage ? navigator.storage : null;
	}

	// applyBatch writes one batch in one readwrite transaction; cb reports
	// after its complete (or abort) event.
	function applyBatch(db, buf, n, cb, id) {
		const done = once(cb, id);
		let tx;
		try {
			tx = db.transaction(STORE, "readwrite", { durability: "strict" });
		} catch (e) { done(...failure(e)); return; }
		let cause = null; // the first request error, or the exception that stopped the batch
		tx.oncomplete = () => done(OK);
		tx.onerror = (ev) => { if (!cause && ev && ev.target) cause = ev.target.error; };
		tx.onabort = () => done(...failure(tx.error || cause || new DOMException("transaction aborted", "AbortError")));
		try {
			const os = tx.objectStore(STORE);
			const dv = new DataView(buf.buffer, buf.byteOffset, n);
			let p = 0;
			while (p < n) {
				const kind = buf[p];
				const kl = dv.getUint32(p + 1, true);
				const k = key(buf, p + 5, kl);
				p += 5 + kl;
				if (kind === 0) {
					const vl = dv.getUint32(p, true);
					p += 4;
					os.put(buf.slice(p, p + vl).buffer, k);
					p += vl;
				} else {
					os.delete(k);
				}
			}
			if (typeof tx.commit === "function") tx.commit();
		} catch (e) {
			// Nothing of the batch survives: abort the whole transaction and
			// report what stopped it (onabort fires next).
			if (!cause) cause = e;
			try { tx.abort(); } catch (_) { done(...failure(cause)); }
		}
	}

	return {
		version: migrations.length,
		available() { return typeof indexedDB !== "undefined" && typeof IDBKeyRange !== "undefined"; },

		open(name, version, cb, id) {
			const done = once(cb, id);
			try {
				const req = indexedDB.open(name, version);
				req.onupgradeneeded = (ev) => {
					const db = req.result;
					for (let v = ev.oldVersion; v < ev.newVersion; v++) migrations[v](db, req.transaction);
				};
				req.onsuccess = () => {
					const db = req.result;
					// Step aside for a deletion or a newer version (another tab):
					// later operations on this connection fail with InvalidStateError.
					db.onversionchange = () => db.close();
					done(OK, db);
				};
				req.onerror = (ev) => { if (ev && ev.preventDefault) ev.preventDefault(); done(...failure(req.error)); };
				// onblocked: another connection has not closed yet; wait for it.
			} catch (e) { done(...failure(e)); }
		},

		close(db) { db.close(); },

		deleteDatabase(name, cb, id) {
			const done = once(cb, id);
			try {
				const req = indexedDB.deleteDatabase(name);
				req.onsuccess = () => done(OK);
				req.onerror = () => done(...failure(req.error));
			} catch (e) { done(...failure(e)); }
		},

		get(db, buf, n, cb, id) {
			const done = once(cb, id);
			try {
				const req = db.transaction(STORE, "readonly").objectStore(STORE).get(key(buf, 0, n));
				req.onsuccess = () => {
					const v = req.result;
					if (v === undefined) { done(NOT_FOUND); return; }
					let b;
					try { b = bytes(v); } catch (e) { done(...failure(e)); return; }
					done(OK, b);
				};
				req.onerror = () => done(...failure(req.error));
			} catch (e) { done(...failure(e)); }
		},

		scan(db, buf, n, limit, cb, id) {
			const done = once(cb, id);
			const finish = (keys, values) => {
				let page;
				try { page = pack(keys, values); } catch (e) { done(...failure(e)); return; }
				done(OK, page);
			};
			try {
				const dv = new DataView(buf.buffer, buf.byteOffset, n);
				const flags = buf[0];
				let p = 1, lower, upper;
				if (flags & 1) { const l = dv.getUint32(p, true); p += 4; lower = key(buf, p, l); p += l; }
				if (flags & 2) { const l = dv.getUint32(p, true); p += 4; upper = key(buf, p, l); p += l; }
				const reverse = (flags & 4) !== 0;
				let range;
				if (lower !== undefined && upper !== undefined) range = IDBKeyRange.bound(lower, upper, false, true);
				else if (lower !== undefined) range = IDBKeyRange.lowerBound(lower);
				else if (upper !== undefined) range = IDBKeyRange.upperBound(upper, true);
				const os = db.transaction(STORE, "readonly").objectStore(STORE);
				if (typeof os.getAllRecords === "function") {
					// IndexedDB 3.0: keys and values of a page, either direction, in one request.
					const opts = { count: limit, direction: reverse ? "prev" : "next" };
					if (range !== undefined) opts.query = range;
					const req = os.getAllRecords(opts);
					req.onsuccess = () => finish(req.result.map((r) => r.key), req.result.map((r) => r.value));
					req.onerror = () => done(...failure(req.error));
				} else if (!reverse) {
					// Two requests of one transaction see the same records;
					// they complete in order, so values' success comes last.
					const kr = os.getAllKeys(range, limit), vr = os.getAll(range, limit);
					kr.onerror = () => done(...failure(kr.error));
					vr.onerror = () => done(...failure(vr.error));
					vr.onsuccess = () => finish(kr.result, vr.result);
				} else {
					const keys = [], values = [];
					const cr = os.openCursor(range, "prev");
					cr.onerror = () => done(...failure(cr.error));
					cr.onsuccess = () => {
						const c = cr.result;
						if (c) { keys.push(c.key); values.push(c.value); }
						if (c && keys.length < limit) c.continue();
						else finish(keys, values);
					};
				}
			} catch (e) { done(...failure(e)); }
		},

		// apply runs one batch as one readwrite transaction. Where Web Locks
		// exist it holds the lock db.name + "#commit" exclusively until the
		// transaction ends: willow-web's façade holds it shared around each
		// read operation, so that no other tab commits in the middle of a read
		// made of several transactions.
		apply(db, buf, n, cb, id) {
			const locks = typeof navigator !== "undefined" && navigator && navigator.locks && typeof navigator.locks.request === "function" ? navigator.locks : null;
			if (!locks) { applyBatch(db, buf, n, cb, id); return; }
			const done = once(cb, id);
			try {
				const own = buf.slice(0, n); // buf is only valid during this call
				locks.request(db.name + "#commit", { mode: "exclusive" }, () => new Promise((release) => {
					applyBatch(db, own, n, (_, ...args) => { release(); done(...args); }, id);
				})).catch((e) => done(...failure(e)));
			} catch (e) { done(...failure(e)); }
		},

		estimate(cb, id) {
			const done = once(cb, id);
			const s = storage();
			if (!s || typeof s.estimate !== "function") { done(UNSUPPORTED); return; }
			try {
				s.estimate().then(
					(e) => done(OK, typeof e.usage === "number" ? e.usage : -1, typeof e.quota === "number" ? e.quota : -1),
					(e) => done(...failure(e)));
			} catch (e) { done(...failure(e)); }
		},

		persist(cb, id) {
			const done = once(cb, id);
			const s = storage();
			if (!s || typeof s.persist !== "function") { done(UNSUPPORTED); return; }
			try {
				s.persist().then((granted) => done(OK, !!granted), (e) => done(...failure(e)));
			} catch (e) { done(...failure(e)); }
		},
	};
})
