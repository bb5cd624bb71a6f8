// 答复模板: choosing a template puts its text (filled for this ticket) in the reply.
// Without JavaScript the 使用模板 button posts the form and the page comes back filled.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-reply-template]").forEach(function (select) {
    var reply = select.form && select.form.querySelector("textarea[name$='reply']");
    if (!reply) return;
    var button = select.form.querySelector("[data-reply-template-use]");
    if (button) button.hidden = true;
    select.addEventListener("change", function () {
      var text = select.selectedOptions[0] && select.selectedOptions[0].dataset.text;
      if (text === undefined) return;
      if (reply.value.trim() && reply.value !== text && !window.confirm("用模板内容替换已填写的答复？")) return;
      reply.value = text;
      reply.focus();
    });
  });
});
