import pytest

pytestmark = pytest.mark.django_db


def test_home_shows_name_department_and_year(liaison_client):
    response = liaison_client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "刘联络" in text
    assert "组织联络部" in text
    assert "年度" in text
