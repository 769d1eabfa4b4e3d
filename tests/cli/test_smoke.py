def test_add_then_today(cli):
    lead = cli.add("杭州云栖科技有限公司", "13800138000")
    assert lead["number"] == "L0001"
    assert lead["status"] == "new"
    queue = cli.json("today")
    assert [i["number"] for i in queue["items"]] == ["L0001"]
    assert queue["items"][0]["reasons"] == ["grade"]
    assert cli.scalar("SELECT count(*) FROM lead") == 1
