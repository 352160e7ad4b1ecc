# Phrase lists the bot uses to understand free text (issue 21). One phrase a
# line; matching ignores case, accents and punctuation and needs whole words.
# A report phrase anywhere in a message offers to start an anonymous report.
phrases-report =
    có người bán
    có người buôn
    có người chích
    có người chơi
    có người dùng ma túy
    có người sử dụng ma túy
    bán ma túy
    buôn ma túy
    bán ma tuý
    bán hàng đá
    bán thuốc lắc
    bán ke
    tôi muốn báo
    muốn báo tin
    tôi muốn tố giác
    tố giác
    tố cáo
    báo tin
    trình báo
    gửi tin báo
    chứa chấp
    tụ tập sử dụng
    điểm bán
    ổ ma túy
# The whole message being one of these cancels what is in progress.
phrases-cancel =
    hủy
    huỷ
    hủy bỏ
    thôi
    thôi không gửi nữa
    dừng
    dừng lại
    cancel
# A first message that is only a greeting gets the welcome and the menu.
phrases-greeting =
    xin chào
    chào
    chào bạn
    alo
    hello
    hi
    bắt đầu
    menu
# "When" in words, mapped to the closest option; the longest match wins.
phrases-when-now =
    bây giờ
    ngay bây giờ
    đang diễn ra
    hôm nay
    sáng nay
    trưa nay
    chiều nay
    tối nay
    đêm nay
    vừa xong
    vừa mới
    lúc nãy
    hồi nãy
    ban nãy
phrases-when-this_week =
    hôm qua
    tối qua
    đêm qua
    sáng qua
    chiều qua
    trưa qua
    hôm kia
    hôm kìa
    mấy hôm trước
    vài hôm trước
    mấy ngày trước
    tuần này
    đầu tuần
    cuối tuần
phrases-when-earlier =
    tuần trước
    tuần rồi
    tháng này
    tháng trước
    tháng rồi
    năm ngoái
    năm trước
    lâu rồi
    từ lâu
    hồi trước
