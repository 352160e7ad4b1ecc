### Tìm hiểu, trắc nghiệm, đường dây nóng

menu-learn = 📚 Tìm hiểu về ma túy
menu-quiz = 🎓 Trắc nghiệm kiến thức
menu-helpdesk = 🆘 Đường dây nóng, hỗ trợ

learn-pick-topic = Bạn muốn tìm hiểu chủ đề nào? (Bạn cũng có thể gõ từ khóa, ví dụ: tem giấy, nước vui, vape.)
learn-topics-button = 📚 Các chủ đề
learn-pick-article = { $topic } – chọn bài viết:
learn-more = ▶️ Xem tiếp ({ $page }/{ $pages })
learn-report-shortcut = 🛡 Báo tin ẩn danh
learn-footer = Nguồn:
    { $sources }
    Cập nhật lần cuối: { $reviewed }
learn-results = Các bài viết phù hợp:
learn-no-results = Không tìm thấy bài viết nào phù hợp. Bạn chọn một chủ đề bên dưới nhé.
topic-substances = 💊 Các loại ma túy
topic-disguised = 🍬 Ma túy ngụy trang
topic-families = 👪 Gia đình, nhà trường
topic-emergencies = 🚑 Cấp cứu, xử trí khẩn cấp
topic-law = ⚖️ Pháp luật
topic-help = 🤝 Tìm sự giúp đỡ
topic-community = 🏘 Khu dân cư, nơi làm việc
topic-privacy = 🔒 Tin báo được bảo vệ thế nào

quiz-intro = 🎓 Trắc nghiệm phòng, chống ma túy: { $count } câu hỏi ngẫu nhiên. Sau mỗi câu bạn sẽ biết đúng sai và lời giải thích.
    Nếu thầy cô cho mã lớp, hãy chọn “Nhập mã lớp” trước khi bắt đầu: lớp 6–9 nhận câu hỏi cấp THCS, lớp 10–12 nhận cả câu hỏi cấp THPT.
quiz-start = ▶️ Bắt đầu
quiz-enter-class = 🏫 Nhập mã lớp
quiz-ask-class = Bạn nhập mã lớp thầy cô đã cho (ví dụ: 10A1).
quiz-bad-class = Mã lớp chỉ gồm chữ cái không dấu, chữ số, dấu - hoặc _, tối đa 20 ký tự (ví dụ: 10A1).
quiz-class-set = Mã lớp: { $class }. Kết quả chỉ được tổng hợp theo lớp, không ghi tên hay tài khoản của bạn.
quiz-question = Câu { $n }/{ $total }: { $text }
quiz-right = ✅ Chính xác!
quiz-wrong = ❌ Chưa đúng. Đáp án đúng: { $answer }
quiz-feedback = { $verdict }
    ℹ️ { $explanation }
    Nguồn: { $source }
quiz-pick-an-option = Bạn chọn một đáp án bên dưới (bấm nút hoặc gõ số thứ tự).
quiz-score = Bạn trả lời đúng { $score }/{ $total } câu. Xem lại các bài viết để hiểu thêm nhé!
quiz-score-great = 🎉 Xuất sắc! Bạn trả lời đúng { $score }/{ $total } câu.
quiz-again = 🔁 Làm lại

helpdesk-intro = 🆘 Khi cần giúp đỡ
    Nếu có nguy hiểm ngay lúc này, hãy gọi 113 hoặc 115.
helpdesk-pick-province = Chọn tỉnh, thành phố của bạn để xem các nơi hỗ trợ tại địa phương mà đơn vị vận hành đã xác minh (nếu có):
helpdesk-local = Các điểm hỗ trợ tại { $province }:
helpdesk-none = Hiện chưa có điểm tư vấn, cai nghiện nào đã được xác minh cho { $province } trong danh bạ. Bạn có thể liên hệ Công an xã, phường hoặc trạm y tế nơi cư trú để được hướng dẫn; khi khẩn cấp gọi 113 hoặc 115.
helpdesk-kind-rehab = cai nghiện
helpdesk-verified = thông tin được xác minh ngày { $date }
helpdesk-kind-counselling = tư vấn

## Mã lớp cho thầy cô (/lop)
quiz-class-shared = Mã lớp: { $class }. Lưu ý: mã "{ $class }" có thể trùng với lớp cùng tên ở trường khác, nên kết quả có thể bị gộp chung. Thầy cô có thể lấy mã riêng cho lớp bằng lệnh /lop { $class }. Kết quả chỉ được tổng hợp theo lớp, không ghi tên hay tài khoản của bạn.
class-ask-label = Thầy cô nhập tên lớp (ví dụ: 10A1). Tôi sẽ tạo một mã riêng cho lớp, không trùng với trường khác.
class-bad-label = Tên lớp chỉ gồm chữ cái không dấu, chữ số, dấu - hoặc _, tối đa 16 ký tự (ví dụ: 10A1). Thầy cô nhập lại nhé.
class-issued = Mã lớp của thầy cô: { $code }
    
    • Học sinh gõ /quiz { $code } (hoặc chọn "Nhập mã lớp" trong phần trắc nghiệm) rồi làm bài. Không cần tên hay tài khoản của học sinh.
    • Xem kết quả của lớp (số lượt làm, điểm trung bình, những câu hay sai) tại liên kết riêng này, dùng được đến hết ngày { $until }:
    { $link }
    
    Liên kết này là bí mật: ai có liên kết đều xem được kết quả của lớp, nên thầy cô đừng chia sẻ công khai.
