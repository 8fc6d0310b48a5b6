// Offline logging on the phone (docs/design.md, "Offline logging"). On every page: registers the service worker
// (/sw.js) and empties the offline caches at logout. On the logging form (form[data-offline-form]):
//  - online, caches the page and its static files, and the user's teams, targets and people (IndexedDB);
//  - offline (or when a queued visit is being corrected), a save goes to the "待同步" queue in IndexedDB, photos
//    as Blobs, so nothing typed is lost if the tab closes, the phone restarts or the session expires;
//  - when the connection returns, each queued visit is sent once to /liaison/records/sync/ with its key: the
//    server validates it like the page and answers the same record for a key it has seen (exactly once);
//  - a refused visit stays in the list with the reasons, to be corrected and sent again;
//  - 记录当前位置: the device's position and time, only when the user ticks it.
(function () {
  "use strict";

  var DB_NAME = "kexie-offline";
  var CACHES = ["kexie-form", "kexie-static"];
  var script = document.currentScript;
  // whether this page came through the service worker (which then kept it): read now, before the worker
  // registered below may claim the page
  var servedByWorker = !!(navigator.serviceWorker && navigator.serviceWorker.controller);

  // --- service worker and logout ---------------------------------------------------------------------------
  if ("serviceWorker" in navigator && script && script.dataset.sw) {
    navigator.serviceWorker.register(script.dataset.sw, { scope: "/" }).catch(function () {});
  }

  function clearCaches() {
    var jobs = [];
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf("kexie-") === 0; }).map(function (n) { return caches.delete(n); }));
      }));
    }
    // the teams' targets and people (names) go; the queue stays: unsent work, sent only under its own account
    jobs.push(run("data", "readwrite", function (store) { return store.clear(); }));
    return Promise.all(jobs).catch(function () {});
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.action || !/\/logout\/$/.test(new URL(form.action, location.href).pathname) || form.dataset.cleared) return;
    event.preventDefault();
    clearCaches().then(function () {
      form.dataset.cleared = "1";
      form.submit();
    });
  });

  // --- IndexedDB ----------------------------------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "key" });
        if (!db.objectStoreNames.contains("data")) db.createObjectStore("data", { keyPath: "user" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function run(storeName, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var request = work(tx.objectStore(storeName));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  var outbox = {
    all: function () { return run("outbox", "readonly", function (s) { return s.getAll(); }); },
    get: function (key) { return run("outbox", "readonly", function (s) { return s.get(key); }); },
    put: function (item) { return run("outbox", "readwrite", function (s) { return s.put(item); }); },
    remove: function (key) { return run("outbox", "readwrite", function (s) { return s.delete(key); }); },
  };

  // --- the logging form ---------------------------------------------------------------------------------------
  var form = document.querySelector("form[data-offline-form]");
  if (!form) return;
  var user = form.dataset.user;
  var formPath = location.pathname;
  var params = new URLSearchParams(location.search);
  var editingKey = params.get("queued");
  var teamData = null; // {teams: [...]} for this user, from the last sync
  var syncing = false;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function flash(text) {
    var box = document.getElementById("outbox-flash");
    box.textContent = text;
    box.hidden = !text;
  }

  // Online: keep what the form needs offline. The page and its static files (the service worker serves them
  // with no connection) and the teams' targets and people.
  function cacheShell() {
    if (!window.caches || !navigator.onLine) return Promise.resolve();
    var assets = Array.prototype.map.call(
      document.querySelectorAll("script[src], link[rel=stylesheet][href], link[rel=icon][href]"),
      function (node) { return node.src || node.href; }
    ).filter(function (url) { return new URL(url).origin === location.origin; });
    // a page that came through the service worker was kept on the way in (NetworkFirst); one that did not
    // (the first visit) is fetched once more to be kept
    var page = servedByWorker ? Promise.resolve() : fetch(formPath, { credentials: "same-origin" }).then(function (response) {
      if (response.ok && !response.redirected) {
        return caches.open("kexie-form").then(function (cache) { return cache.put(new URL(formPath, location.href).href, response); });
      }
    });
    var files = caches.open("kexie-static").then(function (cache) { return cache.addAll(assets); });
    return Promise.all([page, files]).catch(function () {});
  }
  function refreshData() {
    if (!navigator.onLine) return Promise.resolve();
    return fetch(form.dataset.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok && !response.redirected ? response.json() : null; })
      .then(function (data) {
        if (!data || data.user !== user) return;
        teamData = data;
        return run("data", "readwrite", function (s) { return s.put({ user: user, data: data, at: new Date().toISOString() }); });
      })
      .catch(function () {});
  }
  function loadData() {
    return run("data", "readonly", function (s) { return s.get(user); })
      .then(function (row) { if (row && !teamData) teamData = row.data; })
      .catch(function () {});
  }

  // The team's targets and people, drawn from the cached data (offline, htmx cannot ask the server).
  function renderTeamFields(teamId, checkedTargets, names, checkedPeople) {
    var team = teamData && teamData.teams.filter(function (t) { return String(t.id) === String(teamId); })[0];
    var box = document.getElementById("team-fields");
    if (!box) return;
    box.textContent = "";
    var picked = el("div", { id: "picked-targets" });
    var assigned = {};
    if (team && team.targets.length) {
      picked.appendChild(el("p", { class: "small text-body-secondary mb-1" }, "本专班联系对象"));
      team.targets.forEach(function (t) { assigned[t.value] = true; picked.appendChild(targetRow(t.value, t.name, t.label, "text-bg-light", checkedTargets.indexOf(t.value) >= 0)); });
    } else {
      picked.appendChild(el("p", { class: "small text-body-secondary" }, team ? "本专班尚无联系对象，可在下方查找。" : "先选择专班，再勾选联系对象。"));
    }
    var others = el("div", { id: "other-targets" });
    checkedTargets.forEach(function (value) {
      if (!assigned[value]) others.appendChild(targetRow(value, names[value] || value, "非本专班对象", "text-bg-warning", true));
    });
    picked.appendChild(others);
    box.appendChild(picked);
    if (team && team.people.length) {
      box.appendChild(el("p", { class: "small text-body-secondary mb-1 mt-3" }, "参加人员"));
      var row = el("div", { class: "d-flex flex-wrap gap-2" });
      team.people.forEach(function (p) {
        var wrap = el("div", { class: "form-check form-check-inline" });
        var input = el("input", { class: "form-check-input", type: "checkbox", name: "participants", value: String(p.id), id: "p-" + p.id });
        input.checked = checkedPeople.indexOf(String(p.id)) >= 0;
        wrap.appendChild(input);
        wrap.appendChild(el("label", { class: "form-check-label", for: "p-" + p.id }, p.name));
        row.appendChild(wrap);
      });
      box.appendChild(row);
    }
  }
  function targetRow(value, name, label, badge, checked) {
    var id = "t-" + value.replace(/[^a-z0-9]/gi, "");
    var wrap = el("div", { class: "form-check target-check" });
    var input = el("input", { class: "form-check-input", type: "checkbox", name: "targets", value: value, id: id });
    input.checked = checked;
    var text = el("label", { class: "form-check-label", for: id }, name + " ");
    text.appendChild(el("span", { class: "badge " + badge }, label));
    wrap.appendChild(input);
    wrap.appendChild(text);
    return wrap;
  }
  var teamSelect = form.querySelector("[name=team]");
  if (teamSelect) {
    teamSelect.addEventListener("change", function () {
      if (navigator.onLine) return; // htmx asks the server
      var checked = Array.prototype.map.call(form.querySelectorAll("[name=targets]:checked"), function (i) { return i.value; });
      var me = teamData && teamData.me ? [String(teamData.me)] : [];
      renderTeamFields(teamSelect.value, checked, targetNames(), me);
    });
  }
  function targetNames() {
    var names = {};
    form.querySelectorAll("[name=targets]").forEach(function (input) {
      var label = form.querySelector("label[for='" + input.id + "']");
      var name = label ? label.firstChild.textContent.trim() : input.value;
      names[input.value] = name;
    });
    return names;
  }

  // --- saving into the queue -------------------------------------------------------------------------------------
  var dropFiles = false; // a corrected visit's files taken off (one too large, the wrong photo)
  function itemFromForm(submitter, previous) {
    var data = submitter ? new FormData(form, submitter) : new FormData(form);
    var fields = [];
    var files = previous && !dropFiles ? previous.files.slice() : [];
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "q") return;
      if (value instanceof File) {
        if (value.name || value.size) files.push({ field: name, name: value.name, type: value.type, blob: value });
      } else {
        fields.push([name, value]);
      }
    });
    var names = targetNames();
    var picked = fields.filter(function (f) { return f[0] === "targets"; }).map(function (f) { return names[f[1]] || f[1]; });
    var method = form.querySelector("[name=method]");
    var methodLabel = method && method.selectedIndex >= 0 ? method.options[method.selectedIndex].text : "";
    var date = (form.querySelector("[name=date]") || {}).value || "";
    return {
      key: previous ? previous.key : newKey(),
      user: user,
      savedAt: new Date().toISOString(),
      title: [date, methodLabel, picked.join("、")].filter(Boolean).join(" · "),
      fields: fields,
      names: names,
      files: files,
      state: "pending",
      errors: [],
      message: "",
    };
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine && !editingKey) return; // online: the page saves it as always
    event.preventDefault();
    var submitter = event.submitter;
    (editingKey ? outbox.get(editingKey) : Promise.resolve(null))
      .then(function (previous) {
        var item = itemFromForm(submitter, previous);
        return outbox.put(item).then(function () { return item; });
      })
      .then(function (item) {
        sessionStorage.setItem("kexie-queued", "已存入待同步：" + item.title + (navigator.onLine ? "，正在发送。" : "，联网后自动发送。"));
        location.assign(formPath);
      })
      .catch(function () {
        flash("");
        window.alert("本机无法保存这条记录（浏览器存储不可用），请联网后再保存。");
      });
  });

  // Correcting a queued visit: the form filled with what was saved, the server's reasons above it.
  function fillForm(item) {
    var values = {};
    item.fields.forEach(function (f) { (values[f[0]] = values[f[0]] || []).push(f[1]); });
    Object.keys(values).forEach(function (name) {
      if (name === "targets" || name === "participants") return;
      form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']").forEach(function (input) {
        if (input.type === "checkbox" || input.type === "radio") input.checked = values[name].indexOf(input.value) >= 0;
        else if (input.type !== "file" && input.type !== "submit") input.value = values[name][0];
      });
    });
    // unticked boxes are absent from what was saved
    form.querySelectorAll("input[type=checkbox]:not([name=targets]):not([name=participants])").forEach(function (input) {
      if (input.name && !values[input.name]) input.checked = false;
    });
    renderTeamFields(values.team ? values.team[0] : "", values.targets || [], item.names || {}, values.participants || []);
    var method = form.querySelector("[name=method]");
    if (method) method.dispatchEvent(new Event("change", { bubbles: true }));
    var grassroots = form.querySelector("[name=grassroots]");
    if (grassroots) grassroots.dataset.touched = "1";
    showLocation();
    var box = document.getElementById("queued-errors");
    box.textContent = "";
    box.appendChild(el("div", { class: "fw-semibold" }, "正在修改待同步的记录。"));
    if (item.files.length) {
      var files = el("div", {}, "已附文件：" + item.files.map(function (f) { return f.name; }).join("、") + "（随记录发送，可再添加） ");
      var drop = el("button", { type: "button", class: "btn btn-link btn-sm p-0 align-baseline", "data-testid": "drop-files" }, "去掉已附文件");
      drop.addEventListener("click", function () {
        dropFiles = true;
        files.textContent = "已附文件将在保存时去掉，可重新选择。";
      });
      files.appendChild(drop);
      box.appendChild(files);
    }
    (item.errors || []).forEach(function (e) {
      box.appendChild(el("div", {}, (e.label ? e.label + "：" : "") + e.messages.join(" ")));
      var input = e.field && form.querySelector("[name='" + e.field.replace(/'/g, "") + "']");
      if (input) input.classList.add("is-invalid");
    });
    if (item.message && !(item.errors || []).length) box.appendChild(el("div", {}, item.message));
    box.classList.toggle("alert-danger", item.state === "rejected");
    box.classList.toggle("alert-info", item.state !== "rejected");
    box.hidden = false;
  }

  // --- the list --------------------------------------------------------------------------------------------------
  function render() {
    return outbox.all().then(function (items) {
      var section = document.getElementById("outbox");
      var list = document.getElementById("outbox-list");
      document.getElementById("outbox-count").textContent = String(items.length);
      section.hidden = items.length === 0;
      list.textContent = "";
      items.sort(function (a, b) { return a.savedAt < b.savedAt ? -1 : 1; });
      items.forEach(function (item) {
        var li = el("li", { class: "list-group-item px-0", "data-key": item.key });
        var head = el("div", { class: "d-flex flex-wrap justify-content-between gap-2" });
        head.appendChild(el("span", { class: "fw-semibold overflow-wrap-anywhere" }, item.title || "联系记录"));
        var state = item.user !== user ? ["需以 " + item.user + " 登录后发送", "text-bg-secondary"]
          : item.state === "rejected" ? ["未通过，请修改", "text-bg-danger"] : ["待发送", "text-bg-warning"];
        head.appendChild(el("span", { class: "badge " + state[1] }, state[0]));
        li.appendChild(head);
        var meta = "保存于 " + localTime(item.savedAt) + (item.files.length ? " · 附件 " + item.files.length + " 个" : "") + (hasLocation(item) ? " · 含位置" : "");
        li.appendChild(el("div", { class: "small text-body-secondary" }, meta));
        if (item.state === "rejected") {
          var reasons = el("ul", { class: "small text-danger mb-1", "data-testid": "reasons" });
          (item.errors || []).forEach(function (e) { reasons.appendChild(el("li", {}, (e.label ? e.label + "：" : "") + e.messages.join(" "))); });
          if (item.message && !(item.errors || []).length) reasons.appendChild(el("li", {}, item.message));
          li.appendChild(reasons);
        }
        if (item.user === user) {
          var actions = el("div", { class: "d-flex gap-3 small" });
          var edit = el("a", { class: "btn btn-link btn-sm p-0", href: formPath + "?queued=" + encodeURIComponent(item.key) }, "修改");
          var drop = el("button", { type: "button", class: "btn btn-link btn-sm p-0 text-danger" }, "删除");
          drop.addEventListener("click", function () {
            if (!window.confirm("删除这条尚未发送的记录？删除后无法恢复。")) return;
            outbox.remove(item.key).then(render);
          });
          actions.appendChild(edit);
          actions.appendChild(drop);
          li.appendChild(actions);
        }
        list.appendChild(li);
      });
      return items;
    }).catch(function () {});
  }
  function localTime(iso) {
    var d = new Date(iso);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " + two(d.getHours()) + ":" + two(d.getMinutes());
  }
  function hasLocation(item) {
    return item.fields.some(function (f) { return f[0] === "latitude" && f[1]; });
  }
  function status(text, link) {
    var box = document.getElementById("outbox-status");
    box.textContent = text || "";
    if (link) {
      box.appendChild(document.createTextNode(" "));
      box.appendChild(el("a", { href: link.href, target: "_blank", rel: "noopener" }, link.text));
    }
  }

  // --- sending ------------------------------------------------------------------------------------------------
  function askLogin() {
    status("登录已过期：请重新登录（会在新窗口打开），登录后回到本页点“立即同步”。待同步的记录都还在。", { href: form.dataset.loginUrl, text: "重新登录" });
  }
  function ready() {
    return fetch(form.dataset.syncUrl, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (response.status === 401) return { login: true };
      return response.json().then(function (data) { return response.ok ? data : { refused: data.message || "无法同步" }; });
    });
  }
  function send(item, token) {
    var body = new FormData();
    item.fields.forEach(function (f) { body.append(f[0], f[1]); });
    item.files.forEach(function (f) { body.append(f.field, f.blob, f.name); });
    body.append("client_key", item.key);
    return fetch(form.dataset.syncUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      return (json ? response.json() : Promise.resolve({})).then(function (data) {
        return { code: response.status, json: json, data: data };
      });
    });
  }
  function syncAll() {
    if (syncing || !navigator.onLine) return Promise.resolve();
    syncing = true;
    var sent = [];
    return outbox.all()
      .then(function (items) {
        var mine = items.filter(function (i) { return i.user === user && i.state === "pending"; });
        if (!mine.length) return;
        status("正在同步……");
        return ready().then(function (answer) {
          if (answer.login) { askLogin(); return; }
          if (answer.refused) { status(answer.refused); return; }
          if (answer.user !== user) { status("当前登录的是其他账号，待同步的记录需以 " + user + " 登录后发送。"); return; }
          var token = answer.csrf;
          var chain = Promise.resolve(true);
          mine.forEach(function (item) {
            chain = chain.then(function (go) {
              if (!go) return false;
              return sendOne(item, token, true);
            });
          });
          return chain;
        });
      })
      .catch(function () { status("网络中断，待同步的记录还在，联网后会再次发送。"); })
      .finally(function () {
        syncing = false;
        // the teams' targets and people are refreshed at each sync that sent something (and at each visit)
        return render().then(function () { return sent.length ? refreshData() : null; });
      });

    function sendOne(item, token, retry) {
      return send(item, token).then(function (r) {
        if (r.code === 200 || r.code === 201) {
          sent.push({ url: r.data.url, title: item.title || r.data.message });
          return outbox.remove(item.key).then(function () {
            status("已同步 " + sent.length + " 条。");
            showSent(sent);
            return true;
          });
        }
        if (r.code === 401) { askLogin(); return false; }
        if (r.code === 403 && !r.json && retry) {
          // a stale CSRF token (a new login rotates it): ask for a fresh one, once
          return ready().then(function (answer) {
            if (answer.login) { askLogin(); return false; }
            return answer.csrf ? sendOne(item, answer.csrf, false) : false;
          });
        }
        if (r.code === 422 || r.code === 409 || r.code === 400 || (r.code === 403 && r.json)) {
          item.state = "rejected";
          item.errors = r.data.errors || [];
          item.message = r.data.message || "未通过校验";
          return outbox.put(item).then(function () { return true; });
        }
        status("服务器暂时无法保存（" + r.code + "），稍后会再次发送。");
        return false;
      });
    }
  }
  function showSent(records) {
    var box = document.getElementById("outbox-flash");
    box.textContent = "已同步：";
    records.forEach(function (record, index) {
      if (index) box.appendChild(document.createTextNode("、"));
      box.appendChild(el("a", { href: record.url, "data-testid": "synced" }, record.title));
    });
    box.hidden = false;
  }

  // --- location (consent first) ---------------------------------------------------------------------------------
  var locationField = document.getElementById("location-field");
  var consent = document.getElementById("use-location");
  function hidden(name) { return form.querySelector("[name=" + name + "]"); }
  function showLocation() {
    if (!locationField) return;
    var lat = hidden("latitude").value;
    consent.checked = !!lat;
    if (lat) {
      var accuracy = hidden("accuracy").value;
      document.getElementById("location-status").textContent =
        "已记录：纬度 " + Number(lat).toFixed(5) + "，经度 " + Number(hidden("longitude").value).toFixed(5) + (accuracy ? "（精度约 " + accuracy + " 米）" : "") + "。取消勾选则不保存位置。";
    }
  }
  function clearLocation(text) {
    ["latitude", "longitude", "accuracy", "located_at"].forEach(function (name) { hidden(name).value = ""; });
    consent.checked = false;
    document.getElementById("location-status").textContent = text;
  }
  if (locationField) {
    locationField.hidden = false;
    showLocation();
    consent.addEventListener("change", function () {
      if (!consent.checked) { clearLocation("不记录位置。"); return; }
      if (!navigator.geolocation) { clearLocation("此浏览器不能取得位置。"); return; }
      document.getElementById("location-status").textContent = "正在取得位置……";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          hidden("latitude").value = position.coords.latitude.toFixed(6);
          hidden("longitude").value = position.coords.longitude.toFixed(6);
          hidden("accuracy").value = String(Math.round(position.coords.accuracy));
          hidden("located_at").value = new Date(position.timestamp || Date.now()).toISOString();
          showLocation();
        },
        function (error) {
          clearLocation(error.code === 1 ? "未获准取得位置（可在浏览器设置中允许），本记录不含位置。" : "暂时取不到位置，请到开阔处再勾选一次。");
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
      );
    });
  }

  // --- start ---------------------------------------------------------------------------------------------------
  function connection() {
    document.getElementById("offline-banner").hidden = navigator.onLine;
    if (navigator.onLine) syncAll();
  }
  window.addEventListener("online", connection);
  window.addEventListener("offline", connection);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) syncAll(); });
  document.getElementById("outbox-sync").addEventListener("click", function () {
    // a corrected visit is sent again; one refused as it was stays refused until changed
    if (!navigator.onLine) { status("当前没有网络，联网后会自动发送。"); return; }
    syncAll();
  });
  var queued = sessionStorage.getItem("kexie-queued");
  if (queued) { sessionStorage.removeItem("kexie-queued"); flash(queued); }
  document.getElementById("offline-banner").hidden = navigator.onLine;

  loadData()
    .then(function () { return editingKey ? outbox.get(editingKey) : null; })
    .then(function (item) {
      if (item) fillForm(item);
      else editingKey = null;
    })
    .then(render)
    .then(cacheShell)
    .then(refreshData)
    .then(syncAll)
    .finally(function () { document.documentElement.dataset.offlineReady = "1"; });
})();
