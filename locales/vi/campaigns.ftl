### Đăng ký nhận tin chiến dịch (tiếng Việt)

menu-campaigns = 📣 Tin chiến dịch
subscribe-intro = 📣 Tin chiến dịch: vài tin mỗi năm từ lực lượng Công an, ví dụ dịp Tháng hành động phòng, chống ma túy (tháng 6) và ngày 26/6. Chỉ khi bạn đăng ký, chúng tôi mới lưu ID trò chuyện của bạn (trong một danh sách riêng, không gắn với tin báo nào); hủy đăng ký là xóa ngay.
    Muốn nhận cả tin của tỉnh mình, hãy gõ /subscribe kèm tên tỉnh, ví dụ /subscribe Đà Nẵng.
subscribe-button = ✅ Đăng ký nhận tin
unsubscribe-button = 🔕 Hủy đăng ký
subscribe-done-national = ✅ Bạn sẽ nhận các tin chiến dịch toàn quốc. Muốn nhận cả tin của tỉnh mình, hãy gõ /subscribe kèm tên tỉnh, ví dụ /subscribe Đà Nẵng. Gõ /unsubscribe bất cứ lúc nào để ngừng nhận và xóa ID trò chuyện của bạn.
subscribe-done-province = ✅ Bạn sẽ nhận các tin chiến dịch toàn quốc và tin của { $province }. Gõ /unsubscribe bất cứ lúc nào để ngừng nhận và xóa ID trò chuyện của bạn.
subscribe-province-unknown = Tôi không tìm thấy tỉnh, thành phố nào tên “{ $query }”. Bạn thử gõ tên không kèm chữ “tỉnh/thành phố”, ví dụ /subscribe Hà Nội hoặc /subscribe Đồng Nai.
subscribe-unavailable = Tin chiến dịch chỉ gửi được qua Telegram và Zalo, không gửi được ở đây.
unsubscribe-done = 🔕 Đã hủy: bạn sẽ không nhận tin chiến dịch nữa, và ID trò chuyện của bạn đã bị xóa khỏi danh sách.
campaign-footer = — Tipline · gõ /unsubscribe để ngừng nhận tin này
