"""The integrators' page: Chinese, the endpoint list and curl examples, linked from the footer."""


def test_integrators_page_lists_endpoints_with_curl_examples(client, category):
    response = client.get("/open311/v2/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>数据接口（Open311）</h1>" in body
    for endpoint in ("discovery.json", "services.json", "POST requests.json", "requests/{service_request_id}.json",
                     "tokens/{token}.json"):  # fmt: skip
        assert endpoint in body
    assert "curl -X POST 'http://testserver/open311/v2/requests.json'" in body
    assert f"service_code=complaint-{category.code}" in body or f"service_code=help-{category.code}" in body


def test_footer_links_to_the_integrators_page(client, db):
    assert '<a href="/open311/v2/">数据接口</a>' in client.get("/open311/v2/").content.decode()
