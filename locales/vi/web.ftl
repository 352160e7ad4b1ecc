### Trò chuyện trên web (/chat và widget nhúng vào trang của cơ quan)

web-title = Tipline – Báo tin ẩn danh
web-intro = Cuộc trò chuyện chỉ nằm trên trang này và mất khi bạn đóng thẻ. Tipline không dùng cookie, không ghi địa chỉ IP hay trình duyệt của bạn.
web-leave = Thoát nhanh
web-leave-hint = Xóa cuộc trò chuyện khỏi trang và chuyển sang một trang khác
web-log-label = Cuộc trò chuyện
web-input-label = Tin nhắn của bạn
web-input-placeholder = Nhập tin nhắn…
web-send = Gửi
web-photo = Gửi ảnh
web-copy = Sao chép mã biên nhận
web-copied = Đã sao chép. Hãy lưu mã ở nơi an toàn.
web-copy-failed = Chưa sao chép được. Bạn hãy chọn mã và chép lại bằng tay.
web-copy-hint = Hãy sao chép và giữ mã biên nhận này: chỉ với mã này bạn mới xem được phản hồi của cán bộ. Khi đóng thẻ, cuộc trò chuyện sẽ mất.
web-you = Bạn
web-bot = Tipline
web-offline = Mất kết nối. Đang thử lại…
web-sending-photo = Đang gửi ảnh…
web-photo-sent = 📷 Đã gửi một ảnh
web-launcher = 💬 Báo tin ẩn danh
web-close = Thu nhỏ
web-noscript = Trang trò chuyện cần bật JavaScript. Bạn cũng có thể báo tin qua Telegram hoặc Zalo của cơ quan công an.

web-error-token-missing = Thiếu mã cuộc trò chuyện. Hãy tải lại trang để bắt đầu.
web-error-token-malformed = Mã cuộc trò chuyện không đúng định dạng. Hãy tải lại trang để bắt đầu lại.
web-error-token-forged = Mã cuộc trò chuyện không hợp lệ. Hãy tải lại trang để bắt đầu lại.
web-error-bad-json = Yêu cầu không đọc được (JSON không hợp lệ).
web-error-bad-request = Yêu cầu không hợp lệ (thiếu hoặc sai số thứ tự tin nhắn).
web-error-empty = Tin nhắn trống. Hãy nhập nội dung hoặc bấm một lựa chọn.
web-error-too-long = Tin nhắn quá dài. Hãy rút gọn (tối đa 4.000 ký tự) rồi gửi lại.
web-error-photo-too-large = Ảnh quá lớn (tối đa 10 MB). Hãy chọn ảnh nhỏ hơn.
web-error-not-a-photo = Chỉ nhận ảnh JPEG hoặc PNG.
web-error-replayed = Tin nhắn này đã được nhận rồi.
web-error-too-fast = Bạn gửi quá nhanh. Hãy đợi một phút rồi gửi tiếp.
web-error-busy = Hệ thống đang quá tải. Hãy thử lại sau ít phút.
web-error-too-many-new = Có quá nhiều cuộc trò chuyện mới từ mạng của bạn. Hãy thử lại sau một phút.
