/* "换一张" for the captcha: fetches a new picture without reloading the form, so what the
   resident typed stays. Without JavaScript the button stays hidden; every failed submit
   shows a new picture anyway, and the page offers the hotline instead. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-captcha-refresh]");
  Array.prototype.forEach.call(buttons, function (button) {
    var form = button.form;
    var image = form && form.querySelector("img.captcha");
    var key = form && form.querySelector("input[name$='captcha_0']");
    var answer = form && form.querySelector("input[name$='captcha_1']");
    var status = form && form.querySelector("[data-captcha-status]");
    if (!image || !key || !answer || !window.fetch) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      fetch("/captcha/refresh/", { headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          key.value = data.key;
          image.src = data.image_url;
          answer.value = "";
          answer.focus();
          if (status) status.textContent = "已换一张新的验证码图片。";
        })
        .catch(function () {
          if (status) status.textContent = "没能换图片，请稍后再试，或拨打服务热线。";
        })
        .then(function () { button.disabled = false; });
    });
  });
})();
