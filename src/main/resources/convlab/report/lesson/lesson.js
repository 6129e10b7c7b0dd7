// The lesson page's player: each layer chapter steps through its output cells filter by filter (the GIFs' order),
// lighting each cell's taps in the input channels and the kernel, and writing its sum term by term. Everything it
// shows comes from the page's JSON: the taps the reference core summed. No framework, no network.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('lesson-data').textContent);
  var BASE_MS = 600;

  // Reductions by name: how an output value is made from its taps (more ops bring their own, e.g. max).
  var reducers = {
    sum: function (taps, bias) {
      var s = bias; // the formula's order: bias, then each product in turn
      for (var i = 0; i < taps.length; i++) { s += taps[i][7] * taps[i][8]; }
      return s;
    }
  };
  var activations = {
    none: function (x) { return x; },
    relu: function (x) { return x > 0 ? x : (x !== x ? x : 0); },
    tanh: function (x) { return Math.tanh(x); },
    sigmoid: function (x) { return 1 / (1 + Math.exp(-x)); }
  };

  function fmt(v) {
    v = Number(v);
    if (v !== v) { return 'NaN'; }
    if (v === 0) { return '0'; }
    var a = Math.abs(v);
    var s = (a >= 0.001 && a < 10000) ? String(Number(v.toPrecision(3))) : v.toExponential(2);
    return s.replace('-', '\u2212');
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function Chapter(root, layer) {
    var L = layer.k;
    var O = layer.outputShape[0], OH = layer.outputShape[1], OW = layer.outputShape[2];
    var steps = O * OH * OW;
    var step = 0, timer = null;
    var play = root.querySelector('[data-role=play]');
    var scrub = root.querySelector('[data-role=scrub]');
    var speed = root.querySelector('[data-role=speed]');
    var position = root.querySelector('[data-role=position]');
    var title = root.querySelector('[data-role=explain-title]');
    var tapsBox = root.querySelector('[data-role=taps]');
    var total = root.querySelector('[data-role=total]');
    var outCells = [], preCells = [];
    for (var i = 0; i < steps; i++) {
      var p = at(i), key = L + ',' + p[0] + ',' + p[1] + ',' + p[2];
      outCells.push(root.querySelector('[data-output="' + key + '"]'));
      preCells.push(root.querySelector('[data-pre="' + key + '"]'));
    }
    var lit = [];

    function at(i) { // step i -> [oc, oh, ow]: filter by filter, row by row
      var oc = Math.floor(i / (OH * OW)), r = i % (OH * OW);
      return [oc, Math.floor(r / OW), r % OW];
    }
    function light(e, cls) { if (e) { e.classList.add(cls); lit.push([e, cls]); } }
    function clear() { lit.forEach(function (x) { x[0].classList.remove(x[1]); }); lit = []; }

    function show(i, done) {
      step = Math.max(0, Math.min(steps - 1, i));
      scrub.value = String(step);
      for (var j = 0; j < steps; j++) {
        var pending = !done && j > step;
        outCells[j].classList.toggle('pending', pending);
        if (preCells[j]) { preCells[j].classList.toggle('pending', pending); }
      }
      clear();
      var p = at(step), oc = p[0], oh = p[1], ow = p[2];
      var taps = layer.taps[oc][oh][ow];
      light(outCells[step], 'current');
      light(preCells[step], 'current');
      taps.forEach(function (t) {
        light(root.querySelector('[data-in="' + L + ',' + t[0] + ',' + t[4] + ',' + t[5] + '"]'), 'rf');
        light(root.querySelector('[data-w="' + L + ',' + oc + ',' + t[1] + ',' + t[2] + ',' + t[3] + '"]'), 'kern');
      });
      light(root.querySelector('[data-filter="' + oc + '"]'), 'active');
      light(root, 'focus');
      position.textContent = 'filter ' + oc + ', row ' + oh + ', column ' + ow + ' \u00b7 step ' + (step + 1) + ' of ' + steps;
      explain(oc, oh, ow, taps);
    }

    function explain(oc, oh, ow, taps) {
      var bias = Number(layer.bias[oc]);
      var pre = reducers[layer.reduce](taps, bias);
      var act = activations[layer.activation](pre);
      title.textContent = 'Layer ' + L + ', out[' + oc + '][' + oh + '][' + ow + ']: ' + taps.length + ' products, '
        + (layer.activation === 'none' ? 'plus the bias' : 'plus the bias, then ' + layer.activation);
      tapsBox.textContent = '';
      var groups = {}, order = [];
      taps.forEach(function (t, n) {
        if (!(t[0] in groups)) { groups[t[0]] = []; order.push(t[0]); }
        groups[t[0]].push([t, n]);
      });
      var partials = [];
      order.forEach(function (c) {
        var box = el('div', 'channel-sum');
        box.setAttribute('data-channel', c);
        box.appendChild(el('div', 'name', 'channel ' + c));
        var grid = el('div', 'terms');
        var cols = 1;
        groups[c].forEach(function (g) { cols = Math.max(cols, g[0][3] + 1); });
        grid.style.gridTemplateColumns = 'repeat(' + cols + ', auto)';
        var part = 0;
        groups[c].forEach(function (g) {
          var t = g[0], prod = t[7] * t[8];
          part += prod;
          var term = el('span', 'term' + (t[6] ? ' padding' : ''));
          term.appendChild(el('span', 'factors', fmt(t[7]) + ' \u00d7 ' + fmt(t[8])));
          term.appendChild(el('span', 'product', '= ' + fmt(prod)));
          term.title = (t[6] ? 'padding ' : 'in') + '[' + t[0] + '][' + t[4] + '][' + t[5] + '] \u00d7 w[' + oc + '][' + t[1] + '][' + t[2] + '][' + t[3]
            + '] = ' + fmt(prod);
          term.setAttribute('data-tap', String(g[1]));
          term.setAttribute('data-c', t[0]); term.setAttribute('data-ih', t[4]); term.setAttribute('data-iw', t[5]);
          term.setAttribute('data-x', String(t[7])); term.setAttribute('data-w', String(t[8]));
          term.setAttribute('data-product', String(prod));
          term.style.gridRow = String(t[2] + 1); term.style.gridColumn = String(t[3] + 1);
          term.addEventListener('mouseenter', function () { hot(t, oc, true); });
          term.addEventListener('mouseleave', function () { hot(t, oc, false); });
          grid.appendChild(term);
        });
        box.appendChild(grid);
        var ps = el('div', 'partial', '= ' + fmt(part));
        ps.setAttribute('data-role', 'partial');
        ps.setAttribute('data-value', String(part));
        box.appendChild(ps);
        tapsBox.appendChild(box);
        partials.push(part);
      });
      total.textContent = '';
      total.appendChild(document.createTextNode(partials.map(fmt).join(' + ') + '  + bias ' + fmt(bias) + '  = '));
      var s = el('b', '', fmt(pre));
      s.setAttribute('data-role', 'sum');
      s.setAttribute('data-value', String(pre));
      total.appendChild(s);
      if (layer.activation !== 'none') {
        total.appendChild(document.createTextNode('   \u2192   ' + layer.activation + '(' + fmt(pre) + ') = '));
        var a = el('b', '', fmt(act));
        a.setAttribute('data-role', 'activated');
        a.setAttribute('data-value', String(act));
        total.appendChild(a);
      }
    }

    function hot(t, oc, on) {
      var cells = [root.querySelector('[data-in="' + L + ',' + t[0] + ',' + t[4] + ',' + t[5] + '"]'),
        root.querySelector('[data-w="' + L + ',' + oc + ',' + t[1] + ',' + t[2] + ',' + t[3] + '"]')];
      cells.forEach(function (e) { if (e) { e.classList.toggle('hot', on); } });
    }

    function pause() {
      if (timer !== null) { clearInterval(timer); timer = null; }
      play.innerHTML = '&#9654; Play';
      play.setAttribute('aria-pressed', 'false');
    }
    function start() {
      if (step >= steps - 1) { show(0, false); }
      play.innerHTML = '&#10074;&#10074; Pause';
      play.setAttribute('aria-pressed', 'true');
      timer = setInterval(function () {
        if (step >= steps - 1) { pause(); show(steps - 1, true); return; }
        show(step + 1, false);
      }, BASE_MS / Number(speed.value));
    }

    play.addEventListener('click', function () { if (timer === null) { start(); } else { pause(); } });
    root.querySelector('[data-role=step]').addEventListener('click', function () { pause(); show(step + 1, false); });
    root.querySelector('[data-role=back]').addEventListener('click', function () { pause(); show(step - 1, false); });
    scrub.addEventListener('input', function () { pause(); show(Number(scrub.value), false); });
    speed.addEventListener('change', function () { if (timer !== null) { pause(); start(); } });
    function clickable(e, i) {
      if (e) { e.addEventListener('click', function () { pause(); show(i, true); }); }
    }
    for (var n = 0; n < steps; n++) { clickable(outCells[n], n); clickable(preCells[n], n); }
    // The page opens with every value in place and the first output cell explained.
    this.showFirst = function () { show(0, true); };
  }

  document.querySelectorAll('[data-chapter=layer]').forEach(function (root) {
    var k = Number(root.getAttribute('data-layer'));
    new Chapter(root, data.layers[k - 1]).showFirst();
  });
})();
