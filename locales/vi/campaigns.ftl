### Đăng ký nhận tin tuyên truyền (tiếng Việt)

menu-campaigns = 📣 Tin tuyên truyền
subscribe-intro = 📣 Tin tuyên truyền: vài tin mỗi năm từ lực lượng Công an, ví dụ dịp Tháng hành động phòng, chống ma túy (tháng 6) và ngày 26/6. Chỉ khi bạn đăng ký, chúng tôi mới lưu ID trò chuyện của bạn (trong một danh sách riêng, không gắn với tin báo nào); hủy đăng ký là xóa ngay.
    Muốn nhận cả tin của tỉnh bạn, hãy gõ /subscribe kèm tên tỉnh, ví dụ /subscribe Đà Nẵng.
subscribe-button = ✅ Đăng ký nhận tin
unsubscribe-button = 🔕 Hủy đăng ký
subscribe-done-national = ✅ Bạn sẽ nhận các tin tuyên truyền toàn quốc. Muốn nhận cả tin của tỉnh bạn, hãy gõ /subscribe kèm tên tỉnh, ví dụ /subscribe Đà Nẵng. Gõ /unsubscribe bất cứ lúc nào để ngừng nhận và xóa ID trò chuyện của bạn.
subscribe-done-province = ✅ Bạn sẽ nhận các tin tuyên truyền toàn quốc và tin của { $province }. Gõ /unsubscribe bất cứ lúc nào để ngừng nhận và xóa ID trò chuyện của bạn.
subscribe-province-unknown = Không tìm thấy tỉnh, thành phố nào tên “{ $query }”. Bạn thử gõ tên không kèm chữ “tỉnh/thành phố”, ví dụ /subscribe Hà Nội hoặc /subscribe Đồng Nai.
subscribe-unavailable = Tin tuyên truyền chỉ gửi được qua Telegram và Zalo, không gửi được ở đây.
unsubscribe-done = 🔕 Đã hủy: bạn sẽ không nhận tin tuyên truyền nữa, và ID trò chuyện của bạn đã bị xóa khỏi danh sách.
campaign-footer = — Tipline · gõ /unsubscribe để ngừng nhận tin này

## Bảng điều khiển (quản trị viên)

nav-campaigns = Chiến dịch
campaigns-title = Chiến dịch
campaigns-new = Tạo chiến dịch
campaigns-none = Chưa có chiến dịch nào. Hãy bắt đầu từ mẫu cho ngày 1/6 hoặc 26/6.
campaigns-col-title = Tiêu đề
campaigns-col-state = Trạng thái
campaigns-col-scheduled = Thời gian gửi (giờ Việt Nam)
campaigns-col-progress = Tiến độ
campaign-state-scheduled = đã lên lịch
campaign-state-running = đang gửi
campaign-state-paused = tạm dừng
campaign-state-cancelled = đã hủy
campaign-state-done = đã xong
campaigns-target-all = tất cả người đăng ký
campaigns-sent = Đã gửi
campaigns-failed = Lỗi
campaigns-removed = Đã xóa (chặn bot hoặc bỏ quan tâm OA)
campaigns-undeliverable = Không gửi được (ngoài khung thời gian nhắn tin của Zalo)
campaigns-unknown = Không rõ (bị ngắt khi đang gửi)
campaigns-skipped = Bỏ qua (đã hủy đăng ký hoặc chiến dịch bị hủy)
campaigns-remaining = Còn lại
campaigns-eta = Còn khoảng { $minutes } phút theo tốc độ đã cấu hình; dự kiến xong lúc { $at }.
campaigns-unknown-help = Tin “không rõ” là tin đang gửi dở khi máy chủ dừng đột ngột. Tin có thể đã đến hoặc chưa; để không ai nhận một tin hai lần, hệ thống không gửi lại.
campaigns-refresh-help = Trang này không tự cập nhật.
campaigns-refresh = Tải lại
campaigns-pause = Tạm dừng
campaigns-resume = Tiếp tục
campaigns-cancel = Hủy chiến dịch
campaigns-cancel-confirm = Hủy chiến dịch này? Các tin chưa gửi sẽ không bao giờ được gửi.
campaigns-text = Nội dung
campaigns-presets = Mẫu có sẵn:
campaigns-schedule = Thời gian gửi
campaigns-schedule-help = “now” (gửi ngay), hoặc giờ Việt Nam, ví dụ 2027-06-26 08:00.
campaigns-target = Đối tượng
campaigns-target-help = “all” (tất cả), hoặc mã tỉnh cách nhau bằng dấu phẩy (danh sách)
campaigns-footer-help = Mỗi tin đều kết thúc bằng một dòng hướng dẫn hủy đăng ký; bản xem trước có hiển thị dòng này.
campaigns-preview = Xem trước
campaigns-preview-help = Đúng nội dung người đăng ký nhận được: văn bản thuần, giống nhau trên cả hai nền tảng. Telegram cho phép 4096 đơn vị UTF-16 mỗi tin, Zalo 2000 ký tự.
campaigns-create = Tạo chiến dịch
campaigns-create-confirm = Tạo chiến dịch này? Tin sẽ được gửi đúng giờ đã hẹn tới tất cả người đăng ký vào lúc đó.
campaigns-error-title = Hãy đặt tiêu đề cho chiến dịch (tối đa 120 ký tự).
campaigns-error-target = Đối tượng phải là “all” hoặc các mã tỉnh cách nhau bằng dấu phẩy, ví dụ 01, 79.
campaigns-error-province = Không có tỉnh nào mang mã { $code }.
campaigns-error-schedule = Thời gian gửi phải là “now” hoặc giờ Việt Nam dạng 2027-06-26 08:00.
campaigns-error-empty = Nội dung { $lang } đang để trống.
campaigns-error-zalo = Nội dung { $lang } dài { $length } ký tự (kể cả dòng hủy đăng ký); Zalo chỉ nhận tối đa 2000.
campaigns-error-telegram = Nội dung { $lang } dài { $length } đơn vị UTF-16 (kể cả dòng hủy đăng ký); Telegram chỉ nhận tối đa 4096.
flash-campaign-created = Đã tạo chiến dịch.
flash-campaign-pause = Đã tạm dừng chiến dịch.
flash-campaign-resume = Đã tiếp tục chiến dịch.
flash-campaign-cancel = Đã hủy chiến dịch.
flash-campaign-wrong-state = Chiến dịch vừa thay đổi trạng thái; chưa có thao tác nào được thực hiện.
