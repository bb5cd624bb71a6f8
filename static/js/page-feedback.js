/* 这个页面有用吗？ in place: fetch a CSRF token, post the answer, offer a comment.
   Without this script the buttons open the answer page (a plain GET form). */
(function () {
  "use strict";
  var box = document.querySelector("[data-page-feedback]");
  if (!box || !window.fetch || !window.FormData) { return; }
  var form = box.querySelector("form");
  var more = box.querySelector(".page-feedback-more");
  var status = box.querySelector(".page-feedback-status");
  var page = form.querySelector("[name=page]").value;
  var useful = null;
  var answer = "";
  function send(data) {
    return fetch(box.getAttribute("data-token-url"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (t) {
        data.append("page", page);
        return fetch(form.action, {
          method: "POST", body: data, credentials: "same-origin",
          headers: { "X-CSRFToken": t.token, "X-Requested-With": "fetch" }
        });
      })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = event.submitter || form.querySelector("button[value=yes]");
    useful = button.value;
    form.hidden = true;
    more.hidden = false;
    status.textContent = useful === "yes" ? "谢谢！可以再告诉我们哪里有帮助。" : "抱歉没能帮到您。可以告诉我们缺了什么。";
    var data = new FormData();
    data.append("useful", useful);
    send(data).then(function (res) {
      if (res.ok) { answer = res.body.answer || ""; }
      else { status.textContent = (res.body && res.body.error) || "提交未成功，请稍后再试。"; }
    }).catch(function () { status.textContent = "网络不畅，提交未成功。"; });
  });
  box.querySelector("[data-page-feedback-send]").addEventListener("click", function () {
    var text = box.querySelector("textarea").value.trim();
    if (!text) { status.textContent = "谢谢您的反馈！"; more.hidden = true; return; }
    var data = new FormData();
    data.append("useful", useful);
    data.append("comment", text);
    data.append("answer", answer);
    send(data).then(function (res) {
      more.hidden = res.ok;
      status.textContent = res.ok ? "谢谢您的意见！" : ((res.body && res.body.error) || "提交未成功，请稍后再试。");
    }).catch(function () { status.textContent = "网络不畅，提交未成功。"; });
  });
})();
