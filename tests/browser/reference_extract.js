/*
 * Reference reading of the replica pages, written only from the facts in
 * tests/fixtures/sites/README.md (labels, data-testid, structure; never hashed class names).
 * The replica tests compare its output with expected-extract.json, which proves that the
 * contract, the pages and the expected JSON agree. It is a test oracle, not the adapter.
 */
({
  'pdd-seller': function () {
    var heads = Array.from(document.querySelectorAll('thead th')).map(function (th) { return th.textContent.trim(); });
    var leafLines = function (cell) {
      return Array.from(cell.querySelectorAll('div')).filter(function (d) { return !d.querySelector('div'); })
        .map(function (d) { return d.textContent.trim(); }).filter(Boolean);
    };
    var iso = function (t) { return t.replace(' ', 'T') + '+08:00'; };
    var money = function (t) { return t.trim().replace(/^¥/, ''); };
    return Array.from(document.querySelectorAll('tbody[data-testid="beast-core-table-middle-tbody"]')).map(function (tb) {
      var block = tb.parentElement;
      while (block && block.textContent.indexOf('订单编号：') < 0) block = block.parentElement;
      var spans = Array.from(block.querySelectorAll('span')).map(function (s) { return s.textContent.trim(); });
      var after = function (label) {
        var s = spans.find(function (t) { return t.indexOf(label) === 0; });
        return s ? s.slice(label.length) : '';
      };
      var cells = Array.from(tb.querySelector('tr').children);
      var col = function (name) { return cells[heads.indexOf(name)]; };
      var goods = leafLines(col('商品'));
      var qty = parseInt(col('数量').textContent.trim().replace(/^x/, ''), 10);
      var totalCents = Math.round(parseFloat(money(col('商品总价').textContent)) * 100);
      var recv = leafLines(col('收货信息'));
      var addr = recv[2].split(' ');
      var id = after('订单编号：');
      return {
        order_id: id,
        shop: col('店铺').textContent.trim(),
        status: col('订单状态').textContent.trim(),
        created_at: iso(after('订单成交时间：')),
        ship_by: iso(after('承诺发货时间：')),
        buyer: { name: recv[0], phone: recv[1],
                 address: { province: addr[0], city: addr[1], district: addr[2], detail: addr.slice(3).join(' ') } },
        items: [{ title: goods[0], sku: goods[2], quantity: qty, price: (totalCents / qty / 100).toFixed(2) }],
        amount: money(col('实收金额').textContent),
        remark: '',
        url: 'https://mms.pinduoduo.com/orders/detail?sn=' + id
      };
    });
  },

  'alibaba-buyer': function () {
    var after = function (text, label) { return text.indexOf(label) === 0 ? text.slice(label.length) : null; };
    return Array.from(document.querySelectorAll('q-order-card')).map(function (card) {
      var root = card.shadowRoot;
      var texts = Array.from(root.querySelectorAll('*')).filter(function (e) {
        return e.children.length === 0 && e.tagName !== 'STYLE';
      }).map(function (e) { return e.textContent.trim(); });
      var find = function (label) {
        for (var i = 0; i < texts.length; i++) { var v = after(texts[i], label); if (v !== null) return v; }
        return null;
      };
      var addr = find('收货地址：').split(' ');
      var nameIdx = texts.findIndex(function (t) { return t.indexOf('收货人：') === 0; });
      var hd = root.querySelector('.hd');
      var packages = [];
      texts.forEach(function (t, i) {
        var c = after(t, '物流公司：');
        if (c !== null) packages.push({ courier_text: c, tracking: after(texts[i + 1], '运单号码：') });
      });
      return {
        order_id: find('订单号：'),
        supplier: hd.querySelector('a').textContent.trim(),
        status: hd.lastElementChild.textContent.trim(),
        ship_to: { name: find('收货人：'), phone: texts[nameIdx + 1],
                   address: { province: addr[0], city: addr[1], district: addr[2], detail: addr.slice(3).join(' ') } },
        items: Array.from(root.querySelectorAll('.item')).map(function (it) {
          return { title: it.querySelector('.title').textContent, quantity: parseInt(it.querySelector('.qty').textContent.slice(1), 10),
                   price: it.querySelector('.price').textContent.replace(/^¥/, '') };
        }),
        remark: find('买家留言：'),
        packages: packages
      };
    });
  }
})
