/* The report form's photos: a large 拍照/选照片 button instead of the tiny native input.
   On a phone, accept="image/*" lets the system offer the camera or the gallery. Each pick
   adds to the chosen photos (up to the form's limit), each shows a thumbnail with 删除,
   and type and size are checked here first, with the reason next to the field; the server
   checks them again. The native input stays the one that is sent (its files are rebuilt
   with DataTransfer); where that is missing, or without JavaScript, the native input is
   left as it is and still works. */
(function () {
  "use strict";
  var field = document.querySelector("[data-photo-field]");
  var input = field && field.querySelector("input[type=file]");
  if (!input || !window.URL || !URL.createObjectURL) return;
  try { new DataTransfer(); } catch (e) { return; }

  var picker = field.querySelector("[data-photo-picker]");
  var add = field.querySelector("[data-photo-add]");
  var count = field.querySelector("[data-photo-count]");
  var list = field.querySelector("[data-photo-list]");
  var error = field.querySelector("[data-photo-error]");
  var max = parseInt(input.getAttribute("data-max-photos"), 10) || 3;
  var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10) || 8 * 1024 * 1024;
  var types = ["image/jpeg", "image/png", "image/webp"];
  var chosen = [];  // {file, url}

  input.classList.add("photo-native");  // out of sight, still the field that is sent
  input.setAttribute("tabindex", "-1");
  input.setAttribute("aria-hidden", "true");
  picker.hidden = false;

  function megabytes(bytes) { return (bytes / 1024 / 1024).toFixed(1); }

  function sync() {
    var transfer = new DataTransfer();
    chosen.forEach(function (item) { transfer.items.add(item.file); });
    input.files = transfer.files;
  }

  function render() {
    list.textContent = "";
    chosen.forEach(function (item, index) {
      var li = document.createElement("li");
      li.className = "photo-preview";
      var img = document.createElement("img");
      img.src = item.url;
      img.alt = "第 " + (index + 1) + " 张照片预览";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button button-secondary photo-remove";
      remove.textContent = "删除";
      remove.setAttribute("aria-label", "删除第 " + (index + 1) + " 张照片");
      remove.addEventListener("click", function () {
        URL.revokeObjectURL(item.url);
        chosen.splice(index, 1);
        sync();
        render();
        showError("");
        (list.querySelector(".photo-remove") || add).focus();
      });
      li.appendChild(img);
      li.appendChild(remove);
      list.appendChild(li);
    });
    var left = max - chosen.length;
    count.textContent = chosen.length
      ? "已选 " + chosen.length + " 张，最多 " + max + " 张" + (left ? "，还可以再选 " + left + " 张。" : "。")
      : "未选照片，最多 " + max + " 张。";
    add.disabled = left <= 0;
  }

  function showError(text) {
    error.textContent = text;
    error.hidden = !text;
    if (text) field.classList.add("has-error");
  }

  add.addEventListener("click", function () { input.click(); });

  input.addEventListener("change", function () {
    // The native input now holds only the new pick: keep the earlier ones too.
    var problems = [];
    Array.prototype.forEach.call(input.files, function (file) {
      if (types.indexOf(file.type) === -1) {
        problems.push("“" + file.name + "”不是 JPG、PNG 或 WebP 格式的照片（苹果手机可在“设置 → 相机 → 格式”中选“兼容性最佳”）。");
      } else if (file.size > maxBytes) {
        problems.push("照片“" + file.name + "”有 " + megabytes(file.size) + " MB，超过 " + megabytes(maxBytes) + " MB，请换一张或压缩后再选。");
      } else if (chosen.length >= max) {
        problems.push("最多上传 " + max + " 张照片，“" + file.name + "”没有加入。");
      } else {
        chosen.push({ file: file, url: URL.createObjectURL(file) });
      }
    });
    sync();
    render();
    showError(problems.join(" "));
  });

  render();
})();
